/**
 * The Megaport API emulator: `startEmulator(options)` and its types
 * (docs/architecture.md, "The emulator contract"). An independent implementation of the server side; it
 * imports nothing from sdk/ or provider/.
 *
 * @packageDocumentation
 */
export type { FaultConfig } from "./faults";
export type { Seed } from "./model";
export type { RequestLogEntry } from "./requestLog";
export { defaultSeed } from "./seed";
export { type EmulatorAccount, type EmulatorOptions, type RunningEmulator, startEmulator } from "./server";
