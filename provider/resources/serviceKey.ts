/**
 * `ServiceKey`: the key owner's resource. A service key lets another company order a VXC to one of
 * the owner's Ports, MCRs or MVEs (docs/megaport-api.md, "Service keys").
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import {
  type ServiceKey as ApiServiceKey,
  MegaportApiError,
  type MegaportClient,
  MegaportNotFoundError,
} from "../../sdk";
import { clientFor, withAccountFailures } from "./accounts";
import {
  checkAgainstSchema,
  type CheckedInputs,
  type CheckFailure,
  containsUnknown,
  failure,
  inputsAmong,
  toPlainJson,
} from "./checkFailures";
import { type DiffResult, diffProperties, propertyChanged } from "./diffing";
import { logLine } from "./logging";
import { CLOCK_SKEW_MS, claim, createOnce, isClaimed } from "./reconcile";
import {
  adoptionFailures,
  adoptionMismatches,
  NOT_THE_OWNER,
  newKeyFailures,
  noteKey,
  replaceOnlyValues,
} from "./serviceKeyPreview";

const isoDateTime = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), { message: "must be an ISO-8601 date-time" });

/** The validity window of a key: ISO-8601 strings (the resource class turns Dates into them). */
export const validForSchema = z
  .object({ start: isoDateTime.optional(), end: isoDateTime })
  .strict()
  // Compared only when both are dates: an unreadable one has its own message, and NaN compares false.
  .refine(
    (window) => {
      const start = window.start === undefined ? Number.NaN : Date.parse(window.start);
      const end = Date.parse(window.end);
      return Number.isNaN(start) || Number.isNaN(end) || end > start;
    },
    { message: "end must be after start", path: ["end"] },
  );
export type ValidFor = z.infer<typeof validForSchema>;

/** The checked inputs of a ServiceKey: the single source of truth for its input shape. */
export const serviceKeyInputsSchema = z.object({
  productUid: z.string().min(1, { message: "the UID of a Port, MCR or MVE is required" }),
  maxSpeed: z
    .number({ message: "the key's maximum rate limit in Mbps is required" })
    .int({ message: "must be a whole number of Mbps" })
    .positive({ message: "must be a positive number of Mbps" }),
  singleUse: z.boolean().default(true),
  vlan: z
    .number()
    .int({ message: "a VLAN is a whole number" })
    .min(2, { message: "a VLAN is 2-4093" })
    .max(4093, { message: "a VLAN is 2-4093" })
    .optional(),
  preApproved: z.boolean().default(false),
  active: z.boolean().default(true),
  validFor: validForSchema.optional(),
  description: z.string().optional(),
  account: z.string().min(1).optional(),
  existingKey: z.string().min(8, { message: "must be the full service key to adopt" }).optional(),
  resourceName: z.string().optional(),
});
export type ServiceKeyInputs = z.infer<typeof serviceKeyInputsSchema>;

/** What the API tells about a key, beyond the inputs (docs/megaport-api.md, "The key object"). */
export interface ServiceKeyFacts {
  key: string;
  productName: string | null;
  productType: string | null;
  companyUid: string | null;
  companyName: string | null;
  createDate: string | null;
  lastUsed: string | null;
  valid: boolean;
  expired: boolean;
}

/** The outputs (state) of a ServiceKey: every input plus the facts. */
export type ServiceKeyOutputs = ServiceKeyInputs & ServiceKeyFacts;

/**
 * Properties a change of which needs a new key (the PUT resets them,
 * docs/megaport-api.md, "Update" and "Key rules").
 */
const REPLACE_ONLY = [
  "productUid",
  "singleUse",
  "maxSpeed",
  "vlan",
  "preApproved",
  "description",
  "existingKey",
];
/** Properties the PUT changes in place. */
const IN_PLACE = ["active", "validFor"];

/**
 * Per resource name, the `account|product|vlan` of a replacement this process checked that keeps
 * its VLAN (the replaced key holds it until it is deactivated, delete-first). Used once, by the
 * engine's second check of that replacement.
 */
const replacedVlans = new Map<string, string>();

/** Rules across properties; each runs only when the properties it reads are known. */
function serviceKeyRules(
  olds: Record<string, unknown>,
  values: Record<string, unknown>,
  isKnown: (property: string) => boolean,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (isKnown("vlan") && isKnown("singleUse") && values.vlan !== undefined && values.singleUse === false) {
    failures.push(failure("vlan", "only single-use keys take a VLAN"));
  }
  // The API requires the B-End VLAN of a single-use key (docs/megaport-api.md, "Create"); an adopted key
  // brings its own.
  if (
    isKnown("vlan") &&
    isKnown("singleUse") &&
    isKnown("existingKey") &&
    values.singleUse === true &&
    values.vlan === undefined &&
    values.existingKey === undefined
  ) {
    failures.push(failure("vlan", "a single-use key needs a VLAN (2-4093), or set singleUse: false"));
  }
  // The PUT keeps a window it is not sent (docs/megaport-api.md, "Update"): there is no way to remove one.
  if (isKnown("validFor") && olds.validFor !== undefined && values.validFor === undefined) {
    failures.push(failure("validFor", "a key's validity window cannot be removed; set a later end instead"));
  }
  const validFor = values.validFor as ValidFor | undefined;
  // Instants, not text: `2027-01-01` and the API's `2027-01-01T00:00:00.000Z` are one window.
  const isNewWindow = validForChanged(olds.validFor, values.validFor);
  if (
    isKnown("validFor") &&
    validFor !== undefined &&
    isNewWindow &&
    Date.parse(validFor.end) <= Date.now()
  ) {
    failures.push(failure("validFor.end", "must be in the future (the key would be born expired)"));
  }
  return failures;
}

/** True when two validity windows differ; `start` counts only when the new window sets it. */
function validForChanged(oldValue: unknown, newValue: unknown): boolean {
  if (containsUnknown(newValue)) return true;
  const oldWindow = oldValue as ValidFor | undefined;
  const newWindow = newValue as ValidFor | undefined;
  if (oldWindow === undefined || newWindow === undefined) return oldWindow !== newWindow;
  const sameInstant = (a: string | undefined, b: string | undefined) =>
    a === b || (a !== undefined && b !== undefined && Date.parse(a) === Date.parse(b));
  return (
    !sameInstant(oldWindow.end, newWindow.end) ||
    (newWindow.start !== undefined && !sameInstant(oldWindow.start, newWindow.start))
  );
}

/** The opaque Pulumi id of a key: a digest, never the key itself. */
export function serviceKeyId(key: string): string {
  return `sk-${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;
}

/** A ServiceKey error with a stable code; its message never contains the key. */
export class ServiceKeyError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "ServiceKeyError";
    this.code = code;
  }
}


function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * The API's window in epoch ms for a checked `validFor`. Without `start` the window starts when
 * the key was made: `madeAt` for an existing key; for a new one, now less the clock skew, so that
 * a clock ahead of the API's never makes a new key "not valid yet".
 */
function windowMs(validFor: ValidFor, madeAt?: string | null): { start: number; end: number } {
  const start = validFor.start ?? madeAt ?? undefined;
  return {
    start: start === undefined ? Date.now() - CLOCK_SKEW_MS : Date.parse(start),
    end: Date.parse(validFor.end),
  };
}

/**
 * Outputs: the key as the API shows it, every property included (so refresh shows drift and an
 * adopted key shows what it really is), plus what only the inputs know (`account`, `existingKey`,
 * the declared form of `validFor`). An API `preApproved` of null means not pre-approved.
 */
function toOutputs(declared: Record<string, unknown>, key: ApiServiceKey): ServiceKeyOutputs {
  const inputs = inputsAmong(serviceKeyInputsSchema, declared);
  const declaredWindow = declared.validFor as ValidFor | undefined;
  const validFor =
    declaredWindow === undefined || key.validFor === null
      ? declaredWindow
      : {
          ...(declaredWindow.start === undefined
            ? {}
            : { start: new Date(key.validFor.start).toISOString() }),
          end: new Date(key.validFor.end).toISOString(),
        };
  return toPlainJson({
    ...(inputs as ServiceKeyInputs),
    ...replaceOnlyValues(key),
    active: key.active,
    validFor,
    key: key.key,
    productName: key.productName,
    productType: key.productDto?.productType ?? null,
    companyUid: key.companyUid,
    companyName: key.companyName,
    createDate: isoOrNull(key.createDate),
    lastUsed: isoOrNull(key.lastUsed),
    valid: key.valid ?? false,
    expired: key.expired ?? false,
  });
}

/** Whether an API key has the fields the inputs asked for. */
function hasRequestedFields(key: ApiServiceKey, inputs: ServiceKeyInputs): boolean {
  return (
    key.productUid === inputs.productUid &&
    key.singleUse === inputs.singleUse &&
    key.maxSpeed === inputs.maxSpeed &&
    (key.vlan ?? undefined) === inputs.vlan &&
    (key.description ?? undefined) === inputs.description
  );
}

/**
 * The key a create whose answer was lost made, if it can be told apart. Candidates are the keys on
 * the product with the requested fields, made from {@link CLOCK_SKEW_MS} before the request on,
 * that this process does not already hold. Keys carry no tags, so a key of another stack or of the
 * portal looks the same: one candidate made after the request started is adopted; none means the
 * create never arrived; anything else (several, or one made before the request) is refused with
 * the candidates listed, because adopting another party's key would deactivate it on destroy.
 */
async function findKeyMade(
  client: MegaportClient,
  inputs: ServiceKeyInputs,
  startedAt: number,
): Promise<ApiServiceKey | undefined> {
  const candidates = (await client.serviceKeys.list({ productIdOrUid: inputs.productUid }))
    .filter((key) => hasRequestedFields(key, inputs) && !isClaimed(key.key))
    .filter((key) => (key.createDate ?? 0) >= startedAt - CLOCK_SKEW_MS)
    .sort((a, b) => (a.createDate ?? 0) - (b.createDate ?? 0));
  const [only] = candidates;
  if (only === undefined) return undefined;
  if (candidates.length === 1 && (only.createDate ?? 0) >= startedAt) return only;
  const listed = candidates
    .map((key) => `${serviceKeyId(key.key)} (created ${isoOrNull(key.createDate) ?? "at an unknown time"})`)
    .join(", ");
  throw new ServiceKeyError(
    "ERR_SERVICE_KEY_CREATE_AMBIGUOUS",
    `the answer to the create (sent ${new Date(startedAt).toISOString()}) was lost, and the keys on product ${inputs.productUid} with the same fields cannot be told apart from one made by someone else: ${listed}. Nothing was adopted. In the Megaport portal, find the key this stack made by its creation time and either adopt it (existingKey) or deactivate it; then run pulumi up again`,
  );
}

/**
 * Creates the key; when the answer is lost, first looks for the key the lost request made
 * ({@link findKeyMade}) and adopts it; only when there is none is the create sent again (bounded;
 * provider/reconcile.ts).
 */
async function createKey(inputs: ServiceKeyInputs): Promise<ApiServiceKey> {
  const client = clientFor(inputs.account);
  const key = await createOnce({
    product: inputs.productUid,
    create: () =>
      client.serviceKeys.create({
        productUid: inputs.productUid,
        maxSpeed: inputs.maxSpeed,
        singleUse: inputs.singleUse,
        active: inputs.active,
        vlan: inputs.vlan,
        preApproved: inputs.preApproved,
        description: inputs.description,
        validFor: inputs.validFor === undefined ? undefined : windowMs(inputs.validFor),
      }),
    idOf: (made) => made.key,
    findMade: (startedAt) => findKeyMade(client, inputs, startedAt),
    onAdopted: (made) =>
      logLine(
        inputs.resourceName,
        `the answer to the create was lost; adopted the key it made (${serviceKeyId(made.key)})`,
      ),
  });
  noteKey(inputs.account ?? "", key);
  return key;
}

/**
 * Adopts a key made elsewhere: it must exist and have every replace-only property as declared
 * (check says so at preview; this holds it at create too, when preview could not know the values).
 * Only `active` and `validFor` are ever written, through a read-merge-write PUT.
 */
async function adoptKey(inputs: ServiceKeyInputs & { existingKey: string }): Promise<ApiServiceKey> {
  const client = clientFor(inputs.account);
  let key: ApiServiceKey;
  try {
    key = await client.serviceKeys.get(inputs.existingKey);
  } catch (error) {
    if (error instanceof MegaportNotFoundError) {
      throw new ServiceKeyError("ERR_SERVICE_KEY_NOT_FOUND", "existingKey: no such service key");
    }
    throw error;
  }
  try {
    await client.products.get(key.productUid);
  } catch (error) {
    if (error instanceof MegaportApiError && error.status >= 400 && error.status < 500) {
      throw new ServiceKeyError("ERR_SERVICE_KEY_NOT_OWNER", `existingKey: ${NOT_THE_OWNER}`);
    }
    throw error;
  }
  const mismatches = adoptionMismatches(key, inputs);
  if (mismatches.length > 0) {
    throw new ServiceKeyError("ERR_SERVICE_KEY_MISMATCH", mismatches.map((m) => m.reason).join("; "));
  }
  // One resource per key: a second resource adopting it would deactivate it on its own delete.
  if (isClaimed(key.key)) {
    throw new ServiceKeyError(
      "ERR_SERVICE_KEY_MISMATCH",
      "existingKey: another resource of this stack already manages this key",
    );
  }
  claim(key.key);
  if (key.active !== inputs.active || inputs.validFor !== undefined) {
    key = await client.serviceKeys.update(
      key.key,
      {
        active: inputs.active,
        ...(inputs.validFor === undefined
          ? {}
          : { validFor: windowMs(inputs.validFor, isoOrNull(key.createDate)) }),
      },
      key,
    );
  }
  return key;
}

/**
 * The API's window of a key made without one ends here or later (the emulator's end is
 * 2099-12-31T23:59:59Z; README, "validFor"): an import declares no window for it.
 */
const NO_EXPIRY_FROM = Date.parse("2099-12-31T00:00:00Z");

/** The window an imported key declares: the API's, unless it is the no-expiry default. */
function importedWindow(key: ApiServiceKey): ValidFor | undefined {
  if (key.validFor === null || key.validFor.end >= NO_EXPIRY_FROM) return undefined;
  return { start: new Date(key.validFor.start).toISOString(), end: new Date(key.validFor.end).toISOString() };
}

/**
 * `read` with nothing but the id (`pulumi import`, docs/importing.md): the account's keys are
 * listed and the one whose digest is the id is read, so no key or prefix is ever part of an id.
 * The state is the one a create declaring the key as it is would give.
 */
async function importKey(
  id: string,
  props: Record<string, unknown>,
): Promise<{ id?: string; props?: ServiceKeyOutputs; inputs?: Record<string, unknown> }> {
  const account = props.account as string | undefined;
  const keys = await clientFor(account).serviceKeys.list();
  const key = keys.find((candidate) => serviceKeyId(candidate.key) === id);
  if (key === undefined) return {};
  const outs = toOutputs({ ...props, validFor: importedWindow(key) }, key);
  return { id, props: outs, inputs: inputsAmong(serviceKeyInputsSchema, outs) };
}

/**
 * The ServiceKey provider implementation. It runs in the provider process, loaded by the shim
 * (docs/architecture.md, "The thin serialized shim"); methods are in lifecycle order.
 */
export const serviceKeyProvider = {
  /**
   * Validates the inputs with zod and applies defaults, then asks the API what it would refuse
   * (provider/serviceKeyPreview.ts): for a new key (a new resource, or a replacement) the product's
   * speed and the VLAN; for an adopted key, that it is declared as it is. Nothing else is asked.
   */
  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckedInputs> {
    const checked = await withAccountFailures(
      checkAgainstSchema(serviceKeyInputsSchema, news, (values, isKnown) => serviceKeyRules(olds, values, isKnown)),
    );
    if (checked.failures.length > 0 || containsUnknown(checked.inputs)) return checked;
    const inputs = checked.inputs as ServiceKeyInputs;
    const client = clientFor(inputs.account);
    if (inputs.existingKey !== undefined) {
      return {
        ...checked,
        failures: await adoptionFailures(client, inputs.account ?? "", inputs.existingKey, inputs),
      };
    }
    const declared = checked.inputs;
    const isNewResource = olds.productUid === undefined;
    if (!isNewResource && !REPLACE_ONLY.some((property) => propertyChanged(olds[property], declared[property]))) {
      return checked;
    }
    // A replacement keeping its VLAN on the same product takes it over from the key it replaces.
    // The engine checks a diff-driven replacement a second time without the olds: the first check
    // remembers the VLAN, so the second does not count the old key's VLAN as taken either.
    const vlanSlot = `${inputs.account ?? ""}|${inputs.productUid}|${String(inputs.vlan)}`;
    const resource = inputs.resourceName ?? "";
    let keepsVlan: boolean;
    if (isNewResource) {
      keepsVlan = replacedVlans.get(resource) === vlanSlot;
      replacedVlans.delete(resource);
    } else {
      keepsVlan = !propertyChanged(olds.vlan, inputs.vlan) && !propertyChanged(olds.productUid, inputs.productUid);
      if (keepsVlan) replacedVlans.set(resource, vlanSlot);
    }
    return { ...checked, failures: await newKeyFailures(client, inputs.account ?? "", inputs, !keepsVlan) };
  },

  /**
   * `active` and `validFor` change in place (PUT); everything else the PUT would reset, so it needs
   * a new key. A single-use key keeping its VLAN on the same product is replaced delete-first: the
   * old key holds the VLAN until it is deactivated. (A targeted `pulumi up --replace` reaches no
   * provider diff: the engine then goes by the resource option alone, docs/lifecycle.md.)
   */
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult> {
    const changed = (property: string) =>
      property === "validFor"
        ? validForChanged(olds.validFor, news.validFor)
        : propertyChanged(olds[property], news[property]);
    const result = diffProperties(olds, news, REPLACE_ONLY, IN_PLACE, changed);
    const keepsVlan =
      news.singleUse === true &&
      olds.singleUse === true &&
      news.vlan !== undefined &&
      !changed("vlan") &&
      !changed("productUid");
    // The same adopted key on both sides of a replace: create-first would adopt it, then the old
    // resource's delete would deactivate it. Deactivate first; the new resource reactivates it.
    const keepsAdoptedKey = news.existingKey !== undefined && !changed("existingKey");
    if (result.replaces.length > 0 && (keepsVlan || keepsAdoptedKey)) {
      return { ...result, deleteBeforeReplace: true };
    }
    return result;
  },

  /**
   * `POST /v2/service/key` with `active` always sent (an omitted `active` defaults to true,
   * docs/megaport-api.md, "Create"), or, with `existingKey`, a look-up that adopts the key. One API call for
   * a plain create.
   */
  async create(news: Record<string, unknown>): Promise<{ id: string; outs: ServiceKeyOutputs }> {
    const inputs = serviceKeyInputsSchema.parse(news);
    const key =
      inputs.existingKey === undefined
        ? await createKey(inputs)
        : await adoptKey({ ...inputs, existingKey: inputs.existingKey });
    return { id: serviceKeyId(key.key), outs: toOutputs(inputs, key) };
  },

  /**
   * `GET /v2/service/key?key=` with the key from state: every property as the API reports it, so
   * refresh shows drift (a key deactivated, its window or speed changed in the portal). A key that
   * no longer exists is reported gone (`{}`), so refresh drops it.
   */
  async read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: ServiceKeyOutputs; inputs?: Record<string, unknown> }> {
    const state = props as unknown as ServiceKeyOutputs;
    if (state.key === undefined) return importKey(id, props);
    let key: ApiServiceKey;
    try {
      key = await clientFor(state.account).serviceKeys.get(state.key);
    } catch (error) {
      if (error instanceof MegaportNotFoundError) return {};
      throw error;
    }
    const outs = toOutputs(props, key);
    return { id, props: outs, inputs: inputsAmong(serviceKeyInputsSchema, outs) };
  },

  /**
   * Read-merge-write `PUT /v2/service/key` (the SDK reads the key first) changing only `active`
   * and `validFor`: the PUT behaves like a replace, so every other field is sent as the API has it
   * now (docs/megaport-api.md, "Update"). Should the API still reset a field it was sent, the
   * outputs show it and a line says so. Returns the full outputs (no outs would wipe them).
   */
  async update(
    _id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: ServiceKeyOutputs }> {
    const inputs = serviceKeyInputsSchema.parse(news);
    const state = olds as unknown as ServiceKeyOutputs;
    const client = clientFor(inputs.account);
    const current = await client.serviceKeys.get(state.key);
    const key = await client.serviceKeys.update(
      state.key,
      {
        active: inputs.active,
        ...(inputs.validFor === undefined
          ? {}
          : { validFor: windowMs(inputs.validFor, isoOrNull(current.createDate)) }),
      },
      current,
    );
    noteKey(inputs.account ?? "", key);
    const sent = replaceOnlyValues(current);
    const answered = replaceOnlyValues(key);
    const reset = (Object.keys(sent) as (keyof typeof sent)[]).filter((p) => sent[p] !== answered[p]);
    if (reset.length > 0) {
      logLine(
        inputs.resourceName,
        `the API changed ${reset.map((p) => `${p} (${JSON.stringify(sent[p] ?? null)} → ${JSON.stringify(answered[p] ?? null)})`).join(", ")} on an update that sent them unchanged; the outputs show the key as it is now`,
      );
    }
    return {
      outs: toOutputs({ ...state, ...inputs, validFor: inputs.validFor } as Record<string, unknown>, key),
    };
  },

  /**
   * A key cannot be removed (docs/megaport-api.md, "Service keys"): delete deactivates it with a
   * read-merge-write PUT that changes nothing but `active`. A key already inactive, or gone, needs
   * no call beyond the look-up (its VLAN may belong to another key by now).
   */
  async delete(_id: string, props: Record<string, unknown>): Promise<void> {
    const state = props as unknown as ServiceKeyOutputs;
    const client = clientFor(state.account);
    const digest = serviceKeyId(state.key);
    // An adopted key that a create of this run adopted is held by the resource that replaced this
    // one, create-first (a targeted `pulumi up --replace` with no deleteBeforeReplace, which the
    // provider plugin cannot set: docs/lifecycle.md): deactivating it would take it from its holder.
    if (state.existingKey !== undefined && isClaimed(state.key)) {
      logLine(state.resourceName, `service key ${digest} is held by the resource that replaced this one; not deactivated`);
      return;
    }
    let key: ApiServiceKey;
    try {
      key = await client.serviceKeys.get(state.key);
    } catch (error) {
      if (error instanceof MegaportNotFoundError) {
        logLine(state.resourceName, `service key ${digest} no longer exists; removed from the stack`);
        return;
      }
      throw error;
    }
    if (!key.active) {
      logLine(state.resourceName, `service key ${digest} is already inactive; removed from the stack`);
      return;
    }
    noteKey(state.account ?? "", await client.serviceKeys.update(key.key, { active: false }, key));
    logLine(
      state.resourceName,
      `service keys cannot be deleted: deactivated key ${digest} on product ${key.productUid}`,
    );
  },
};
