/** Every zod schema of the SDK: the single source of truth for wire shapes and their types. */
export * from "./common";
export * from "./networkDesign";
export * from "./orderApproval";
export * from "./product";
export * from "./serviceKey";
export * from "./vxc";
