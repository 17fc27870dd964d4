/** `MegaportClient`: the entry point of the SDK. */
import { z } from "zod";
import { ENVIRONMENT_NAMES, resolveEnvironment } from "./environments";
import { MegaportConfigError } from "./errors";
import { HttpPipeline, PACKAGE_NAME, PACKAGE_VERSION, Redactor, type RequestEvent } from "./http";
import { NetworkDesignApi } from "./networkDesign";
import { OrderApprovalsApi } from "./orderApprovals";
import { ProductsApi } from "./products";
import { formatIssues } from "./schemas/common";
import { ServiceKeysApi } from "./serviceKeys";
import { TokenSource } from "./tokens";
import { ApiTransport } from "./transport";
import { VxcsApi } from "./vxcs";

const httpUrl = z
  .string()
  .refine(
    (value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol),
    "must be an http(s) URL",
  );

const nonNegativeInt = z.number().int().nonnegative();

/** Options of {@link MegaportClient}, validated at construction. */
export const MegaportClientOptionsSchema = z
  .object({
    accessKey: z.string().min(1, "must be a non-empty string"),
    secretKey: z.string().min(1, "must be a non-empty string"),
    environment: z
      .enum(ENVIRONMENT_NAMES, { error: `must be one of ${ENVIRONMENT_NAMES.join(", ")}` })
      .optional(),
    baseUrl: httpUrl.optional(),
    tokenUrl: httpUrl.optional(),
    /** Names these credentials in error messages, e.g. `account "east"`; never a secret. */
    label: z.string().min(1).optional(),
    /** Where the key and secret came from, for error messages, e.g. `MEGAPORT_ACCESS_KEY and MEGAPORT_SECRET_KEY`. */
    credentialSource: z.string().min(1).optional(),
    /** Where the environment or URLs came from, for error messages, e.g. `megaport:environment`. */
    environmentSource: z.string().min(1).optional(),
    /** Prepended to `pulumi-megaport-service-keys/<version>`. */
    userAgent: z.string().optional(),
    timeouts: z
      .object({
        connectMs: z.number().int().positive().optional(),
        requestMs: z.number().int().positive().optional(),
      })
      .optional(),
    retry: z
      .object({
        maxAttempts: z.number().int().min(1).optional(),
        maxElapsedMs: nonNegativeInt.optional(),
        baseDelayMs: nonNegativeInt.optional(),
        maxDelayMs: nonNegativeInt.optional(),
      })
      .optional(),
    /** Called after every HTTP attempt, with redacted paths. */
    onRequest: z
      .custom<(event: RequestEvent) => void>((value) => typeof value === "function", "must be a function")
      .optional(),
  })
  .superRefine((options, ctx) => {
    if (options.environment === undefined && options.baseUrl === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["environment"],
        message: `required when baseUrl is not set: choose one of ${ENVIRONMENT_NAMES.join(", ")}`,
      });
    }
  });

/** Options of {@link MegaportClient}. */
export type MegaportClientOptions = z.input<typeof MegaportClientOptionsSchema>;

/** Default bounds: 6 attempts within 60 s (the task's contract). */
export const DEFAULT_RETRY = { maxAttempts: 6, maxElapsedMs: 60_000, baseDelayMs: 250, maxDelayMs: 10_000 };
/** Default timeouts. */
export const DEFAULT_TIMEOUTS = { connectMs: 10_000, requestMs: 30_000 };

/**
 * A typed, resilient Megaport API client. One instance holds one connection pool and one token
 * cache: create one per account and reuse it; call {@link MegaportClient.close} when done.
 */
export class MegaportClient {
  readonly serviceKeys: ServiceKeysApi;
  readonly products: ProductsApi;
  readonly networkDesign: NetworkDesignApi;
  readonly vxcs: VxcsApi;
  readonly orderApprovals: OrderApprovalsApi;
  /** The API base URL in use (no trailing slash). */
  readonly baseUrl: string;
  /** The OAuth2 token URL in use. */
  readonly tokenUrl: string;
  private readonly http: HttpPipeline;
  private readonly tokens: TokenSource;

  /** @throws MegaportConfigError naming the invalid field. */
  constructor(options: MegaportClientOptions) {
    const parsed = MegaportClientOptionsSchema.safeParse(options);
    if (!parsed.success) throw new MegaportConfigError(formatIssues(parsed.error, ""));
    const valid = parsed.data;
    const urls = resolveEnvironment(valid);
    if (!urls) throw new MegaportConfigError("environment: required"); // unreachable: refined above
    this.baseUrl = urls.baseUrl;
    this.tokenUrl = urls.tokenUrl;
    const redactor = new Redactor();
    const product = `${PACKAGE_NAME}/${PACKAGE_VERSION}`;
    this.http = new HttpPipeline({
      userAgent: valid.userAgent ? `${valid.userAgent} ${product}` : product,
      connectMs: valid.timeouts?.connectMs ?? DEFAULT_TIMEOUTS.connectMs,
      requestMs: valid.timeouts?.requestMs ?? DEFAULT_TIMEOUTS.requestMs,
      retry: { ...DEFAULT_RETRY, ...stripUndefined(valid.retry ?? {}) },
      onRequest: valid.onRequest,
      redactor,
    });
    this.tokens = new TokenSource({
      tokenUrl: urls.tokenUrl,
      accessKey: valid.accessKey,
      secretKey: valid.secretKey,
      http: this.http,
      redactor,
      label: valid.label,
      credentialSource: valid.credentialSource,
      environmentSource: valid.environmentSource,
    });
    const api = new ApiTransport(this.http, this.tokens, urls.baseUrl, redactor);
    this.serviceKeys = new ServiceKeysApi(api);
    this.products = new ProductsApi(api);
    this.networkDesign = new NetworkDesignApi(api);
    this.vxcs = new VxcsApi(api);
    this.orderApprovals = new OrderApprovalsApi(api);
  }

  /**
   * Gets a token now (or keeps the cached one): a refused key fails here with a
   * {@link MegaportAuthError} that says what to fix, before any other call is attempted.
   */
  async authenticate(): Promise<void> {
    await this.tokens.getToken();
  }

  /** Diagnostics: TCP connections opened so far (sequential calls share one keep-alive socket). */
  get connectionCount(): number {
    return this.http.connectionCount;
  }

  /** Diagnostics: HTTP attempts sent so far (token requests and retries included). */
  get requestCount(): number {
    return this.http.requestCount;
  }

  /** Diagnostics: token requests made so far. */
  get tokenRequestCount(): number {
    return this.tokens.tokenRequestCount;
  }

  /** Closes the connection pool. The client cannot be used afterwards. */
  async close(): Promise<void> {
    await this.http.close();
  }
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]-?: Exclude<T[K], undefined>;
  };
}
