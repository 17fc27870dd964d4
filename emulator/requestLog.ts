/** The request log of API traffic (admin calls are never logged), read by `GET /_emulator/requests`. */

/** One logged API request. */
export interface RequestLogEntry {
  /** Increases by one per entry, in completion order. */
  seq: number;
  /** Emulator-clock epoch ms when the request completed. */
  time: number;
  method: string;
  /** Percent-decoded, without the query. */
  path: string;
  query: Record<string, string>;
  /** null when the connection was reset before an answer. */
  status: number | null;
  /** Account name of the caller (e.g. "east"), or null when unknown. */
  company: string | null;
  fault: null | "error" | "reset" | "lost";
  /**
   * The request's `User-Agent`, `Accept` and `Content-Type` headers (null when absent), so that a
   * client's tests can check what it sends. Never the `Authorization` header.
   */
  headers: { userAgent: string | null; accept: string | null; contentType: string | null };
  /** The raw request body ("" for none); null when the connection was reset before it was read. */
  body: string | null;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  add(entry: Omit<RequestLogEntry, "seq">): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
  }

  /** Entries with `seq` greater than `since`. */
  since(since: number): RequestLogEntry[] {
    return this.entries.filter((e) => e.seq > since);
  }

  clear(): void {
    this.entries = [];
  }
}
