/** Megaport environments and their API / token URLs (docs/megaport-api.md, "Environments and tokens"). */

/** Names accepted as `environment`. */
export const ENVIRONMENT_NAMES = ["production", "staging", "development"] as const;

/** One of {@link ENVIRONMENT_NAMES}. */
export type MegaportEnvironment = (typeof ENVIRONMENT_NAMES)[number];

/** API base URL and OAuth2 token URL of an environment. */
export interface EnvironmentUrls {
  baseUrl: string;
  tokenUrl: string;
}

/** The official URLs. Development's base URL has no trailing slash in the sources; we normalise. */
export const ENVIRONMENTS: Readonly<Record<MegaportEnvironment, EnvironmentUrls>> = {
  production: {
    baseUrl: "https://api.megaport.com",
    tokenUrl: "https://auth-m2m.megaport.com/oauth2/token",
  },
  staging: {
    baseUrl: "https://api-staging.megaport.com",
    tokenUrl: "https://auth-m2m-staging.megaport.com/oauth2/token",
  },
  development: {
    baseUrl: "https://api-mpone-dev.megaport.com",
    tokenUrl: "https://auth-m2m-mpone-dev.megaport.com/oauth2/token",
  },
};

/**
 * Resolves the URLs to use. An explicit `baseUrl` wins over the environment's; its token URL then
 * defaults to `<baseUrl>/oauth2/token` (the emulator's layout,
 * docs/architecture.md, "The emulator contract"). Returns undefined when neither an environment nor a base
 * URL is given (there is no default environment).
 */
export function resolveEnvironment(options: {
  environment?: MegaportEnvironment;
  baseUrl?: string;
  tokenUrl?: string;
}): EnvironmentUrls | undefined {
  const base =
    options.baseUrl ?? (options.environment ? ENVIRONMENTS[options.environment].baseUrl : undefined);
  if (base === undefined) return undefined;
  const baseUrl = base.replace(/\/+$/, "");
  const tokenUrl =
    options.tokenUrl ??
    (options.baseUrl === undefined && options.environment
      ? ENVIRONMENTS[options.environment].tokenUrl
      : `${baseUrl}/oauth2/token`);
  return { baseUrl, tokenUrl };
}

/** The Megaport environment whose token URL this is, if any (ignoring a trailing slash and case). */
export function environmentOfTokenUrl(tokenUrl: string): MegaportEnvironment | undefined {
  const normal = (url: string) => url.replace(/\/+$/, "").toLowerCase();
  return ENVIRONMENT_NAMES.find((name) => normal(ENVIRONMENTS[name].tokenUrl) === normal(tokenUrl));
}
