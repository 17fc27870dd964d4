/**
 * The "enriched answers" mode: every API answer varies in the ways a real answer may without
 * breaking megaportgo (and so the Terraform provider), to prove that clients parse no stricter than
 * the real API (docs/megaport-api-variance.md). Off unless `startEmulator({ enrich: true })`,
 * `--enrich` or `POST /_emulator/enrich`.
 *
 * - Every object gains fields no client knows (Go's encoding/json ignores unknown fields).
 * - Every empty array becomes null (Go decodes null into an empty slice).
 * - Numbers become numeric strings, and dates ISO-8601 strings, only inside the parts megaportgo
 *   does not decode, where the real API is free to send anything: a key's `productDto`, the whole
 *   validate answer, a buy answer beyond `vxcJTechnicalServiceUid`, an approval's `detail`, and a
 *   VXC's `terminateDate`. Where megaportgo decodes a number into an int or `Time` (epoch ms), a
 *   string would break it, so the real API cannot plausibly send one and the mode leaves it alone.
 */

/** The unknown fields added to every object. */
export const ENRICH_EXTRA_FIELDS = {
  emulatorEnriched: true,
  emulatorUnknown: { note: "a field no client knows", nested: [1, "two", null] },
};

/** Keys whose values are maps of strings in megaportgo (`map[string]string`): no fields are added. */
const STRING_MAPS = new Set(["attributeTags"]);

/** Number-valued keys that hold dates (epoch ms) on the wire. */
function isDateKey(key: string): boolean {
  return /Date$/.test(key) || ["lastUsed", "payerApproval", "nonPayerApproval", "start", "end"].includes(key);
}

type Json = unknown;

/** Unknown fields everywhere and null for empty arrays; `loose` also turns numbers into strings. */
function vary(value: Json, key: string, loose: boolean): Json {
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    return value.map((item) => vary(item, key, loose));
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, Json>;
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(record)) out[k] = STRING_MAPS.has(k) ? v : vary(v, k, loose);
    return STRING_MAPS.has(key) ? out : { ...out, ...ENRICH_EXTRA_FIELDS };
  }
  if (loose && typeof value === "number") {
    return isDateKey(key) && value > 0 ? new Date(value).toISOString() : String(value);
  }
  return value;
}

/** Varies `record` in place of itself: `looseKeys` get strings for numbers, the rest does not. */
function varyWithLooseKeys(record: Json, looseKeys: (key: string) => boolean): Json {
  if (record === null || typeof record !== "object" || Array.isArray(record)) return vary(record, "", false);
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(record as Record<string, Json>)) {
    out[k] = vary(v, k, looseKeys(k));
  }
  return { ...out, ...ENRICH_EXTRA_FIELDS };
}

/** Applies `each` to every item of a list `data`, or to `data` itself. */
function eachItem(data: Json, each: (item: Json) => Json): Json {
  if (Array.isArray(data)) return data.length === 0 ? null : data.map(each);
  return each(data);
}

/** Which parts of `data` megaportgo does not decode, per endpoint. */
function varyData(method: string, path: string, data: Json): Json {
  if (path === "/v2/service/key") {
    return eachItem(data, (key) => varyWithLooseKeys(key, (k) => k === "productDto"));
  }
  if (method === "POST" && path === "/v3/networkdesign/validate") return vary(data, "", true);
  if (method === "POST" && /^\/v[34]\/networkdesign\/buy$/.test(path)) {
    return eachItem(data, (item) => varyWithLooseKeys(item, (k) => k !== "vxcJTechnicalServiceUid"));
  }
  if (path === "/v3/order_approvals") {
    return eachItem(data, (approval) => varyWithLooseKeys(approval, (k) => k === "detail"));
  }
  if (/^\/v2\/product\/[^/]+$/.test(path) && (data as { productType?: unknown })?.productType === "VXC") {
    return varyWithLooseKeys(data, (k) => k === "terminateDate");
  }
  return vary(data, "", false);
}

/** The enriched body of a successful API answer (the envelope `{message, terms, data}`). */
export function enrichBody(method: string, path: string, body: Json): Json {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const envelope = body as Record<string, Json>;
  if (!("data" in envelope)) return { ...envelope, ...ENRICH_EXTRA_FIELDS };
  return { ...envelope, ...ENRICH_EXTRA_FIELDS, data: varyData(method, path, envelope.data) };
}
