/** VXCs: read, update, cancel and wait for a state (docs/megaport-api.md, "VXCs"). */
import { requireNonEmpty } from "./args";
import { MegaportApiError, MegaportNotFoundError, MegaportTimeoutError } from "./errors";
import { type Vxc, type VxcCancelAction, VxcSchema, type VxcUpdate } from "./schemas/vxc";
import type { ApiTransport } from "./transport";

/** Options of {@link VxcsApi.waitFor}. */
export interface WaitForOptions {
  /** Stop polling as soon as this holds. */
  until: (vxc: Vxc) => boolean;
  timeoutMs: number;
  /** First poll interval (default 1000 ms); grows ×1.5 up to 10× this. */
  intervalMs?: number;
  /** Wait before the first poll (default 0: at once), e.g. when the state is not expected to change sooner. */
  firstPollMs?: number;
  /** Called with the VXC after every poll, before `until` is tested. */
  onProgress?: (vxc: Vxc) => void;
  signal?: AbortSignal;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new Error("aborted");
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal ? abortError(signal) : new Error("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** `client.vxcs`. */
export class VxcsApi {
  /** Made by {@link MegaportClient}; use the client's property rather than constructing one. */
  constructor(private readonly api: ApiTransport) {}

  /** `GET /v2/product/{uid}`. */
  async get(uid: string): Promise<Vxc> {
    requireNonEmpty("uid", uid);
    return this.api.call({ method: "GET", path: `/v2/product/${encodeURIComponent(uid)}` }, VxcSchema);
  }

  /**
   * `PUT /v3/product/vxc/{uid}` with only the changed fields (docs/megaport-api.md, "Changing a VXC"), then
   * re-reads the VXC: the PUT answers in a different (technical-service) shape depending on the API version.
   */
  async update(uid: string, changes: VxcUpdate): Promise<Vxc> {
    requireNonEmpty("uid", uid);
    await this.api.send({
      method: "PUT",
      path: `/v3/product/vxc/${encodeURIComponent(uid)}`,
      body: changes,
      change: "update a VXC",
    });
    return this.get(uid);
  }

  /**
   * `POST /v3/product/{uid}/action/{action}` (default `CANCEL_NOW`). A safe request, so the
   * transient "rollback-only" 500 (docs/megaport-api.md, "Cancelling a VXC") is retried like any server
   * error. Idempotent: cancelling a VXC that is already gone (404) or already in the target state succeeds.
   */
  async cancel(uid: string, action: VxcCancelAction = "CANCEL_NOW"): Promise<void> {
    requireNonEmpty("uid", uid);
    try {
      await this.api.send({
        method: "POST",
        path: `/v3/product/${encodeURIComponent(uid)}/action/${action}`,
        change: action === "UN_CANCEL" ? "restore a VXC" : "cancel a VXC",
      });
    } catch (error) {
      if (!(error instanceof MegaportApiError) || action === "UN_CANCEL") throw error;
      if (error instanceof MegaportNotFoundError) return;
      // The API may refuse to cancel twice; check whether the VXC is already where we want it.
      const done = action === "CANCEL_NOW" ? ["DECOMMISSIONED"] : ["CANCELLED", "DECOMMISSIONED"];
      let vxc: Vxc;
      try {
        vxc = await this.get(uid);
      } catch (readError) {
        if (readError instanceof MegaportNotFoundError) return;
        throw error;
      }
      if (!done.includes(vxc.provisioningStatus)) throw error;
    }
  }

  /**
   * Polls `GET /v2/product/{uid}` with a growing interval until `until` holds. On the deadline it
   * throws `MegaportTimeoutError` whose `lastSeen` is the last VXC read (undefined if none).
   */
  async waitFor(uid: string, options: WaitForOptions): Promise<Vxc> {
    const deadline = Date.now() + options.timeoutMs;
    const firstInterval = options.intervalMs ?? 1000;
    let interval = firstInterval;
    let lastSeen: Vxc | undefined;
    const firstPoll = Math.min(options.firstPollMs ?? 0, options.timeoutMs);
    if (firstPoll > 0) await delay(firstPoll, options.signal);
    for (;;) {
      if (options.signal?.aborted) throw abortError(options.signal);
      lastSeen = await this.get(uid);
      options.onProgress?.(lastSeen);
      if (options.until(lastSeen)) return lastSeen;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new MegaportTimeoutError<Vxc>(
          `VXC ${uid}: condition not met within ${options.timeoutMs} ms (last status ${lastSeen.provisioningStatus})`,
          lastSeen,
        );
      }
      await delay(Math.min(interval, remaining), options.signal);
      interval = Math.min(interval * 1.5, firstInterval * 10);
    }
  }
}
