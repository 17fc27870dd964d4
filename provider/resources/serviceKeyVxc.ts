/**
 * `ServiceKeyVxc`: the consumer's business-to-business VXC, ordered with a service key from one of
 * the consumer's Ports, MCRs or MVEs (A-End) to the product behind the key (B-End)
 * (docs/megaport-api.md, "VXCs"). Its shape is in `serviceKeyVxcInputs`, its orders on the wire in
 * `vxcOrders`, the order-time checks in `vxcOrderChecks`.
 */
import { errorDataText, MegaportApiError, MegaportNotFoundError, type ResourceTag, type Vxc, type VxcUpdate } from "../../sdk";
import { clientFor, purchaseTermsAccepted, withAccountFailures } from "./accounts";
import {
  checkAgainstSchema,
  type CheckedInputs,
  type CheckFailure,
  containsUnknown,
  inputsAmong,
  toPlainJson,
} from "./checkFailures";
import { type DiffResult, diffProperties, propertyChanged } from "./diffing";
import { logLine } from "./logging";
import { claim } from "./reconcile";
import { type ServiceKeyVxcInputs, type ServiceKeyVxcOutputs, serviceKeyVxcInputsSchema } from "./serviceKeyVxcInputs";
import {
  aEndVnicFailures,
  forgetKeyLookUp,
  keyFailures,
  lookUpKey,
  NEW_KEY_NEEDED,
  orderFailures,
  rateLimitFailures,
} from "./vxcOrderChecks";
import {
  apiVlan,
  buildOrder,
  buyVxc,
  markRecorded,
  ownOrders,
  PENDING,
  READY,
  GONE,
  ServiceKeyVxcError,
  toOutputs,
  UNRECORDED_TAG,
  VxcPartialFailureError,
  waitAfterBuy,
} from "./vxcOrders";
import { forgetAEnd } from "./vxcAEnds";
import { deferredFailures } from "./vxcValidations";
import { DEFAULT_TIMEOUT, parseDurationMs, type Timeouts } from "./waiting";

/** A different key or A-End is a different VXC. */
const REPLACE_ONLY = ["serviceKey", "aEndProductUid"];
/**
 * Changed in place: through `PUT /v3/product/vxc` or, for the last four, with no API call. A new
 * `aEndVnicIndex` moves the VXC to another vNIC of the same MVE (megaportgo `AVnicIndex`).
 */
const IN_PLACE = [
  "name",
  "rateLimit",
  "aEndVlan",
  "aEndVnicIndex",
  "term",
  "shutdown",
  "costCentre",
  "promoCode",
  "waitForApproval",
  "timeouts",
];

/**
 * `aEndVlan` omitted means "Megaport assigns one": the state then holds the assigned VLAN, which is
 * no reason to change anything.
 */
function aEndVlanChanged(oldValue: unknown, newValue: unknown): boolean {
  return newValue !== undefined && propertyChanged(oldValue, newValue);
}

/**
 * What check must ask the API. A new order (a new VXC, or a replacement for a new key or A-End)
 * gets every order-time check. A new rate limit on an existing VXC is checked only against the
 * key's maximum: the key is consumed, and may be inactive, once its VXC exists, which is no reason
 * to refuse a change to that VXC. Anything else is changed in place with no API check.
 */
export function apiChecksFor(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): "order" | "rateLimit" | "none" {
  if (Object.keys(olds).length === 0 || (olds.serviceKey === undefined && !isImported(olds))) return "order";
  // An imported VXC records its key at the next update (isImported): no new order.
  if (
    (propertyChanged(olds.serviceKey, news.serviceKey) && !isImported(olds)) ||
    propertyChanged(olds.aEndProductUid, news.aEndProductUid)
  ) {
    return "order";
  }
  return propertyChanged(olds.rateLimit, news.rateLimit) ? "rateLimit" : "none";
}

/**
 * A VXC imported by its product UID (docs/importing.md): the API does not tell the consumer which
 * key it was ordered with, so its state has every property but `serviceKey` until the next update
 * records the declared one (checked against the VXC's B-End there). Only an import leaves a VXC's
 * inputs or state with an A-End and no key.
 */
function isImported(olds: Record<string, unknown>): boolean {
  return olds.serviceKey === undefined && olds.aEndProductUid !== undefined;
}

/** Rules across properties (none beyond the per-property shapes yet). */
function serviceKeyVxcRules(): CheckFailure[] {
  return [];
}

/** VXCs that a create of this process took over as an interrupted run's order (see delete). */
const takenOver = new Set<string>();

/** The in-place changes for `PUT /v3/product/vxc/{uid}` (docs/megaport-api.md, "Changing a VXC"). */
function vxcChanges(olds: Record<string, unknown>, inputs: ServiceKeyVxcInputs): VxcUpdate {
  const changes: VxcUpdate = {};
  if (propertyChanged(olds.name, inputs.name)) changes.name = inputs.name;
  if (propertyChanged(olds.rateLimit, inputs.rateLimit)) changes.rateLimit = inputs.rateLimit;
  if (aEndVlanChanged(olds.aEndVlan, inputs.aEndVlan)) changes.aEndVlan = apiVlan(inputs.aEndVlan);
  if (inputs.aEndVnicIndex !== undefined && propertyChanged(olds.aEndVnicIndex, inputs.aEndVnicIndex)) {
    changes.aVnicIndex = inputs.aEndVnicIndex;
    // The Terraform provider sends the A-End VLAN with a vNIC move (vxc_resource.go Update).
    if (changes.aEndVlan === undefined && typeof olds.aEndVlan === "number") changes.aEndVlan = olds.aEndVlan;
  }
  if (propertyChanged(olds.term, inputs.term)) changes.term = inputs.term;
  if (propertyChanged(olds.shutdown, inputs.shutdown)) changes.shutdown = inputs.shutdown;
  if (propertyChanged(olds.costCentre, inputs.costCentre)) changes.costCentre = inputs.costCentre ?? "";
  return changes;
}

/**
 * A replacement's buy refused because the fixed A-End VLAN is still held, by the VXC being replaced
 * (a targeted `pulumi up --replace` creates before it deletes): says how to replace it.
 */
function vlanHeldError(error: unknown, inputs: ServiceKeyVxcInputs): unknown {
  if (!(error instanceof MegaportApiError) || error.status >= 500 || inputs.aEndVlan === undefined) return error;
  const text = errorDataText(error.data) || error.apiMessage;
  if (!/vlan/i.test(text)) return error;
  return new ServiceKeyVxcError(
    "ERR_VXC_VLAN_HELD",
    `aEndVlan: ${String(inputs.aEndVlan)} is held by the VXC this one replaces, which is cancelled only after the new one is ordered; nothing was cancelled. Replace it with the resource option deleteBeforeReplace: true (the old VXC is cancelled first), or give the replacement another aEndVlan (API: ${text})`,
  );
}

/**
 * The key declared for an imported VXC must be one of its B-End's keys: the update that records it
 * refuses any other (nothing is changed then).
 */
async function assertKeyOfImport(
  client: ReturnType<typeof clientFor>,
  id: string,
  olds: Record<string, unknown>,
  serviceKey: string,
): Promise<void> {
  const key = await lookUpKey(client, serviceKey).catch((error: unknown) => {
    if (error instanceof MegaportNotFoundError) return undefined;
    throw error;
  });
  if (key === undefined || key.productUid !== olds.bEndProductUid) {
    throw new ServiceKeyVxcError(
      "ERR_VXC_IMPORTED_KEY",
      `serviceKey: not a key of the product VXC ${id} connects to (${String(olds.bEndProductUid)}); declare the key the VXC was ordered with`,
    );
  }
}

/** Rejects after `ms` with a timeout error naming the operation (the provider's own deadline). */
function withDeadline<T>(operation: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ServiceKeyVxcError("ERR_VXC_TIMEOUT", `${what} did not finish in time`)),
      ms,
    );
  });
  return Promise.race([operation, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The ServiceKeyVxc provider implementation. It runs in the provider process, loaded by the shim
 * (docs/architecture.md, "The thin serialized shim"); methods are in lifecycle order.
 */
export const serviceKeyVxcProvider = {
  /**
   * Validates the inputs with zod; for a new order (a new VXC, or a new key or A-End) also asks the
   * API what it would say at order time (key look-up, then `POST /v3/networkdesign/validate`), so
   * that preview catches a rejection before anything is bought; a new rate limit on an existing VXC
   * is checked against the key's maximum. The engine checks a targeted replacement (`pulumi up
   * --replace`) like a new resource, with no old inputs (docs/lifecycle.md, "Replacing").
   */
  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<CheckedInputs> {
    const checked = await withAccountFailures(
      checkAgainstSchema(serviceKeyVxcInputsSchema, news, () => serviceKeyVxcRules()),
    );
    if (checked.failures.length > 0 || containsUnknown(checked.inputs)) return checked;
    const apiChecks = apiChecksFor(olds, checked.inputs);
    const inputs = checked.inputs as ServiceKeyVxcInputs;
    // Adding, changing or removing the vNIC of an existing VXC: one product look-up says whether
    // its A-End is an MVE.
    const vnicChanged = apiChecks !== "order" && propertyChanged(olds.aEndVnicIndex, inputs.aEndVnicIndex);
    if (apiChecks === "none" && !vnicChanged) return checked;
    const client = clientFor(inputs.account);
    const failures =
      apiChecks === "order"
        ? await orderFailures(client, inputs)
        : apiChecks === "rateLimit"
          ? await rateLimitFailures(client, inputs)
          : [];
    if (vnicChanged) failures.push(...(await aEndVnicFailures(client, inputs)));
    return { inputs: checked.inputs, failures };
  },

  /**
   * `serviceKey` and `aEndProductUid` replace the VXC; the rest changes in place. A fixed A-End
   * VLAN kept on the same A-End would clash with the old VXC's, so a replace the engine decides from
   * this diff (a new key, `replaceOnChanges`) deletes first; check has refused by then a
   * replacement whose key could not order again (docs/lifecycle.md, "Replacing").
   */
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<DiffResult> {
    const changed = (property: string) =>
      property === "aEndVlan"
        ? aEndVlanChanged(olds.aEndVlan, news.aEndVlan)
        : propertyChanged(olds[property], news[property]);
    // An imported VXC takes its declared key into state in place (isImported).
    const result = isImported(olds)
      ? diffProperties(olds, news, ["aEndProductUid"], [...IN_PLACE, "serviceKey"], changed)
      : diffProperties(olds, news, REPLACE_ONLY, IN_PLACE, changed);
    const keepsFixedVlan =
      news.aEndVlan !== undefined &&
      !containsUnknown(news.aEndVlan) &&
      !changed("aEndVlan") &&
      !changed("aEndProductUid");
    return keepsFixedVlan ? { ...result, deleteBeforeReplace: true } : result;
  },

  /**
   * Requires acceptPurchaseTerms (a VXC costs money); looks the key up (cached from check) for the
   * B-End; validates; buys (`POST /v4/networkdesign/buy`, reconciling a lost answer); then waits.
   * Pending partner approval finishes successfully with `approvalStatus` PENDING_EXTERNAL.
   */
  async create(news: Record<string, unknown>): Promise<{ id: string; outs: ServiceKeyVxcOutputs }> {
    if (!purchaseTermsAccepted()) {
      throw new ServiceKeyVxcError(
        "ERR_PURCHASE_TERMS_NOT_ACCEPTED",
        "a VXC is billed by Megaport: accept the purchase terms with `pulumi config set megaport:acceptPurchaseTerms true` (or MEGAPORT_ACCEPT_PURCHASE_TERMS=true)",
      );
    }
    const inputs = serviceKeyVxcInputsSchema.parse(news);
    const client = clientFor(inputs.account);
    // check validated this order moments ago (and the buy validates again): the key is cached.
    const key = await lookUpKey(client, inputs.serviceKey);
    // Only an order still marked unrecorded: never the VXC the stack holds (which a replacement replaces).
    const own = await ownOrders(client, inputs);
    const earlier = own.unrecorded[0]?.productUid;
    const replacement = own.recorded.length > 0;
    let uid: string;
    let known: ResourceTag[] | undefined;
    let orderedAt: number | undefined;
    if (earlier !== undefined) {
      // An interrupted `pulumi up` ordered this VXC but never recorded it: take it over instead
      // of ordering a second one.
      claim(earlier);
      takenOver.add(earlier);
      logLine(inputs.resourceName, `adopted VXC ${earlier}, ordered for this resource by an earlier, interrupted run`);
      uid = earlier;
    } else {
      // The validation check started for this order, in an update (provider/resources/vxcValidations.ts).
      const failures = [...keyFailures(key, inputs.rateLimit, replacement), ...(await deferredFailures(news))];
      if (failures.length > 0) {
        const code = failures.some((f) => f.reason.includes(NEW_KEY_NEEDED))
          ? "ERR_VXC_NEW_KEY_NEEDED"
          : "ERR_VXC_ORDER_REJECTED";
        throw new ServiceKeyVxcError(code, failures.map((f) => f.reason).join("; "));
      }
      const order = buildOrder(inputs, key.productUid);
      orderedAt = Date.now();
      uid = await buyVxc(client, inputs, order, key.productUid).catch((error: unknown) => {
        throw own.holding.length > 0 ? vlanHeldError(error, inputs) : error;
      });
      known = order.associatedVxcs[0]?.resourceTags;
    }
    // A single-use key is consumed now; a multi-use key's look-up stays shared by the run.
    if (key.singleUse) forgetKeyLookUp(inputs.serviceKey);
    let vxc: Vxc;
    try {
      vxc = await waitAfterBuy(client, inputs, uid, orderedAt);
    } catch (error) {
      // The engine records a partial failure: the VXC is in the stack from now on.
      await markRecorded(client, uid, known).catch(() => undefined);
      throw error;
    }
    const outs = toOutputs(inputs, vxc);
    try {
      await markRecorded(client, uid, known);
    } catch (error) {
      throw new VxcPartialFailureError(
        uid,
        outs,
        `ordered, but taking its unrecorded mark off failed (${error instanceof Error ? error.message : String(error)}); the next update does it`,
      );
    }
    return { id: uid, outs };
  },

  /**
   * `GET /v2/product/{uid}`: status, approval and VLANs as they are now. Not found,
   * DECOMMISSIONED or CANCELLED → gone (`{}`).
   */
  async read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: ServiceKeyVxcOutputs; inputs?: Record<string, unknown> }> {
    let vxc: Vxc;
    try {
      vxc = await clientFor(props.account as string | undefined).vxcs.get(id);
    } catch (error) {
      if (error instanceof MegaportNotFoundError) return {};
      throw error;
    }
    if (GONE.includes(vxc.provisioningStatus)) return {};
    // An import knows the id only: the A-End and the defaults come from the API (isImported).
    const declared =
      props.aEndProductUid === undefined
        ? { waitForApproval: false, ...props, aEndProductUid: vxc.aEnd.productUid }
        : props;
    const outs = toOutputs(declared, vxc);
    return { id, props: outs, inputs: inputsAmong(serviceKeyVxcInputsSchema, outs) };
  },

  /**
   * `PUT /v3/product/vxc/{uid}` with only what changed (name, rate limit, A-End VLAN, term,
   * shutdown, cost centre); `waitForApproval`, `timeouts` and `promoCode` change state only.
   * When the state says the order awaits approval, the VXC is read first: refused only while the
   * API still says so, and the outputs show its current status (docs/lifecycle.md).
   */
  async update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: ServiceKeyVxcOutputs }> {
    const inputs = serviceKeyVxcInputsSchema.parse(news);
    const changes = vxcChanges(olds, inputs);
    const client = clientFor(inputs.account);
    if (isImported(olds)) await assertKeyOfImport(client, id, olds, inputs.serviceKey);
    // The VXC is in the stack: after a create that could not take the mark off, take it off now.
    // Until it is off, a forced replacement could take this VXC over, so its failure fails the update.
    await markRecorded(client, id).catch((error: unknown) => {
      throw new ServiceKeyVxcError(
        "ERR_VXC_MARK",
        `could not take the unrecorded mark (tag ${UNRECORDED_TAG.key}) off VXC ${id}: ${error instanceof Error ? error.message : String(error)}; remove the tag in the Megaport portal or run pulumi up again`,
      );
    });
    // The state may say pending long after the owner approved (the approval is often in the same
    // stack, and pipelines do not refresh): decide on the API's view, read now.
    const current = PENDING.includes(String(olds.approvalStatus)) ? await client.vxcs.get(id) : undefined;
    if (Object.keys(changes).length === 0) {
      if (current !== undefined) return { outs: toOutputs(inputs, current) };
      // After a partial failure (bought, never ready) the engine runs an update on the next `up`:
      // carry on waiting for the VXC rather than copying the stale state.
      if (!READY.includes(String(olds.provisioningStatus))) {
        return { outs: toOutputs(inputs, await waitAfterBuy(client, inputs, id)) };
      }
      return {
        outs: toPlainJson({
          ...(olds as unknown as ServiceKeyVxcOutputs),
          ...inputs,
          aEndVlan: olds.aEndVlan as number,
        }),
      };
    }
    if (current !== undefined && PENDING.includes(current.vxcApproval.status ?? "")) {
      throw new ServiceKeyVxcError(
        "ERR_VXC_PENDING_APPROVAL",
        `VXC ${id} is waiting for ${current.vxcApproval.message ?? "the key owner"} to approve the order; it can be changed once approved`,
      );
    }
    if (changes.rateLimit !== undefined) {
      const key = await lookUpKey(client, inputs.serviceKey).catch(() => undefined);
      if (key !== undefined && changes.rateLimit > key.maxSpeed) {
        throw new ServiceKeyVxcError(
          "ERR_VXC_ORDER_REJECTED",
          `rateLimit: ${changes.rateLimit} exceeds the service key's maximum of ${key.maxSpeed} Mbps`,
        );
      }
    }
    const timeout = parseDurationMs(inputs.timeouts?.update ?? DEFAULT_TIMEOUT);
    const vxc = await withDeadline(client.vxcs.update(id, changes), timeout, `updating VXC ${id}`).finally(() =>
      // A look-up of its A-End answered before the update shows the VXC's old name.
      forgetAEnd(client, inputs.aEndProductUid),
    );
    return { outs: toOutputs(inputs, vxc) };
  },

  /**
   * `POST /v3/product/{uid}/action/CANCEL_NOW` (the SDK retries the transient "rollback-only"
   * failure, docs/megaport-api.md, "Cancelling a VXC"); not found or already decommissioned is success.
   * Honours `timeouts.delete`.
   */
  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    if (takenOver.has(id)) {
      // Only the old half of a replace deletes a VXC that a create of this run took over: the
      // replacement holds it now (a mark that could not be taken off made it look unrecorded).
      logLine(props.resourceName, `VXC ${id} is held by the resource that replaced this one; not cancelled`);
      return;
    }
    const timeouts = (props.timeouts ?? {}) as Timeouts;
    const client = clientFor(props.account as string | undefined);
    try {
      await withDeadline(
        client.vxcs.cancel(id, "CANCEL_NOW"),
        parseDurationMs(timeouts.delete ?? DEFAULT_TIMEOUT),
        `cancelling VXC ${id}`,
      );
    } finally {
      // A look-up of its A-End answered before the cancel would still show it live.
      forgetAEnd(client, props.aEndProductUid as string | undefined);
    }
    logLine(props.resourceName, `cancelled VXC ${id} (CANCEL_NOW)`);
  },
};
