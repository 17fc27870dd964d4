/**
 * The provider implementation loaded by the serialized shims at call time, by package name
 * (`pulumi-megaport-service-keys/provider/implementation`; docs/architecture.md). Every released
 * version's state refers to this entry point: it must keep these names.
 *
 * A create, update or delete through this entry point tells the process that it runs an update,
 * not a preview (provider/resources/vxcValidations.ts).
 */
import { serviceKeyProvider } from "./resources/serviceKey";
import { serviceKeyVxcProvider } from "./resources/serviceKeyVxc";
import { vxcOrderApprovalProvider } from "./resources/vxcOrderApproval";
import { markChanging } from "./resources/vxcValidations";

export { closeClients, configure } from "./resources/accounts";

interface Changing {
  create(news: Record<string, unknown>): Promise<unknown>;
  update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<unknown>;
  delete(id: string, props: Record<string, unknown>): Promise<void>;
}

/** The provider with its create, update and delete first marking the process as changing things. */
function marked<P extends Changing>(provider: P): P {
  return {
    ...provider,
    create: (news: Record<string, unknown>) => {
      markChanging();
      return provider.create(news);
    },
    update: (id: string, olds: Record<string, unknown>, news: Record<string, unknown>) => {
      markChanging();
      return provider.update(id, olds, news);
    },
    delete: (id: string, props: Record<string, unknown>) => {
      markChanging();
      return provider.delete(id, props);
    },
  };
}

export const serviceKey = marked(serviceKeyProvider);
export const serviceKeyVxc = marked(serviceKeyVxcProvider);
export const vxcOrderApproval = marked(vxcOrderApprovalProvider);
