/** Service keys: create, look up, list, update (docs/megaport-api.md, "Service keys"). */
import { requireNonEmpty } from "./args";
import { looseArray } from "./schemas/common";
import {
  type CreateServiceKeyInput,
  type ServiceKey,
  type ServiceKeyChanges,
  type ServiceKeyFields,
  type ServiceKeyListFilter,
  ServiceKeySchema,
} from "./schemas/serviceKey";
import type { ApiTransport } from "./transport";

const KEY_PATH = "/v2/service/key";

/** `client.serviceKeys`. */
export class ServiceKeysApi {
  /** Made by {@link MegaportClient}; use the client's property rather than constructing one. */
  constructor(private readonly api: ApiTransport) {}

  /**
   * Creates a key (`POST /v2/service/key`). `active` is always sent, because an omitted `active`
   * defaults to true on the API (docs/megaport-api.md, "Create" and "Key rules"). A create is never re-sent
   * after a lost answer: that surfaces as `MegaportOutcomeUnknownError`.
   */
  async create(input: CreateServiceKeyInput): Promise<ServiceKey> {
    requireNonEmpty("productUid", input.productUid);
    const body = {
      productUid: input.productUid,
      maxSpeed: input.maxSpeed,
      singleUse: input.singleUse,
      active: input.active,
      vlan: input.vlan,
      preApproved: input.preApproved,
      description: input.description,
      validFor: input.validFor,
    };
    const key = await this.api.call(
      { method: "POST", path: KEY_PATH, body, kind: "create", change: "create a service key" },
      ServiceKeySchema,
    );
    this.api.redactor.add(key.key, true);
    return key;
  }

  /**
   * Looks a key up (`GET /v2/service/key?key=`): the full key or its first 8 characters; works for
   * another company's key (the consumer's look-up). The API returns one object here, not a list
   * (docs/megaport-api.md, "Looking a key up" and "Key rules"). We send a real query string, not megaportgo's
   * `%3Fkey=` path (docs/megaport-api.md, "Looking a key up").
   */
  async get(key: string): Promise<ServiceKey> {
    requireNonEmpty("key", key);
    this.api.redactor.add(key, true);
    const found = await this.api.call({ method: "GET", path: KEY_PATH, query: { key } }, ServiceKeySchema);
    this.api.redactor.add(found.key, true);
    return found;
  }

  /** Lists the caller's keys, optionally only those of one product (`productIdOrUid`); `data: null` is none. */
  async list(filter: ServiceKeyListFilter = {}): Promise<ServiceKey[]> {
    const keys = await this.api.call(
      { method: "GET", path: KEY_PATH, query: { productIdOrUid: filter.productIdOrUid } },
      looseArray(ServiceKeySchema),
    );
    for (const key of keys) this.api.redactor.add(key.key, true);
    return keys;
  }

  /**
   * Changes `active` and/or `validFor` with read-merge-write: the PUT behaves like a replace, so it
   * carries the key's current `productUid`, `singleUse`, `active`, `validFor` (and `vlan`,
   * `maxSpeed`, `preApproved`, `description` as they are now) with the changes applied; anything
   * left out would be reset, e.g. `active` → false (docs/megaport-api.md, "Update" and "Key rules", CLI bug
   * ESD-1417). A caller that already knows those fields (the provider, from its state) passes them as
   * `current` and saves the read.
   */
  async update(key: string, changes: ServiceKeyChanges, current?: ServiceKeyFields): Promise<ServiceKey> {
    if (current === undefined) current = await this.get(key);
    else this.api.redactor.add(current.key, true);
    const validFor = changes.validFor ?? current.validFor;
    const body = {
      key: current.key,
      productUid: current.productUid,
      singleUse: current.singleUse,
      active: changes.active ?? current.active,
      ...(validFor ? { validFor } : {}),
      ...(current.vlan !== null ? { vlan: current.vlan } : {}),
      maxSpeed: current.maxSpeed,
      ...(current.preApproved !== null ? { preApproved: current.preApproved } : {}),
      ...(current.description !== null ? { description: current.description } : {}),
    };
    return this.api.call({ method: "PUT", path: KEY_PATH, body, change: "update a service key" }, ServiceKeySchema);
  }
}
