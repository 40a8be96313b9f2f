import { httpFailure, VendorError } from "../errors";
import type { VendorContext } from "../types";
import type { TemplateDefinition } from "./definition";
import { renderUrl, substitute, type Values } from "./render";

/**
 * The OAuth 2.0 web server flow a definition's "OAuth2" section describes: the owner is sent
 * to authorization_endpoint, the code that comes back is exchanged at token_endpoint, and
 * the access token is refreshed before it expires (or when the vendor answers 401).
 * Tokens live in the account's encrypted secrets under these names.
 */
export const TOKEN_FIELDS = {
  accessToken: "oauth2AccessToken",
  refreshToken: "oauth2RefreshToken",
  expiresAt: "oauth2ExpiresAt",
} as const;

/** Refreshed this long before the vendor's expiry, so a token cannot lapse in flight. */
const EXPIRY_MARGIN_MS = 60_000;

type OAuth2 = NonNullable<TemplateDefinition["OAuth2"]>;
type Config = Record<string, unknown>;

export function authorizeUrl(
  oauth: OAuth2,
  values: Values,
  options: { redirectUri: string; state: string; originOverride?: string },
): string {
  const base = renderUrl(oauth.authorization_endpoint, values, options.originOverride);
  const query = new URLSearchParams({
    response_type: "code",
    client_id: substitute(oauth.client_id, values),
    redirect_uri: options.redirectUri,
    state: options.state,
  }).toString();
  // The definition's extra parameters are already URL-encoded, as the seed writes them ("scope=api%20refresh_token").
  const extra = oauth.authorization_parameters?.default.replace(/^[?&]+/, "");
  return `${base}${base.includes("?") ? "&" : "?"}${query}${extra ? `&${extra}` : ""}`;
}

/** Trades the authorization code for tokens; returns them as the secrets to store. */
export async function exchangeCode(
  ctx: VendorContext<Config>,
  oauth: OAuth2,
  values: Values,
  options: { code: string; redirectUri: string; originOverride?: string },
) {
  return requestTokens(
    ctx,
    oauth,
    values,
    { grant_type: "authorization_code", code: options.code, redirect_uri: options.redirectUri },
    options.originOverride,
  );
}

/**
 * The access token to send with, refreshed first when it has expired (or `force`, after a
 * 401). Refreshed tokens replace the old ones in ctx.config for the rest of this context's
 * life and are stored through ctx.saveSecrets.
 */
export async function accessToken(
  ctx: VendorContext<Config>,
  oauth: OAuth2,
  values: Values,
  options: { force?: boolean; originOverride?: string } = {},
): Promise<string> {
  const current = stringOf(ctx.config[TOKEN_FIELDS.accessToken]);
  const expiresAt = Date.parse(stringOf(ctx.config[TOKEN_FIELDS.expiresAt]));
  const expired = Number.isFinite(expiresAt) && expiresAt - EXPIRY_MARGIN_MS <= ctx.now().getTime();
  if (current && !expired && !options.force) return current;
  const refreshToken = stringOf(ctx.config[TOKEN_FIELDS.refreshToken]);
  if (!refreshToken) {
    if (current && !options.force) return current;
    throw new VendorError({
      code: "oauth2_not_connected",
      retryable: false,
      description: current
        ? "The OAuth2 access token has expired and the vendor gave no refresh token: connect the account again."
        : "Connect the account with OAuth2 on its Settings tab first.",
    });
  }
  const tokens = await requestTokens(
    ctx,
    oauth,
    values,
    { grant_type: "refresh_token", refresh_token: refreshToken },
    options.originOverride,
  );
  Object.assign(ctx.config, tokens);
  await ctx.saveSecrets?.(tokens);
  return tokens[TOKEN_FIELDS.accessToken];
}

async function requestTokens(
  ctx: VendorContext<Config>,
  oauth: OAuth2,
  values: Values,
  grant: Record<string, string>,
  originOverride?: string,
) {
  const contentType = oauth.token_parameters?.content_type ?? "application/x-www-form-urlencoded";
  const fields = {
    ...grant,
    client_id: substitute(oauth.client_id, values),
    client_secret: substitute(oauth.client_secret, values),
  };
  const response = await ctx.http.request({
    method: "POST",
    url: renderUrl(oauth.token_endpoint, values, originOverride),
    headers: { "content-type": contentType, accept: "application/json" },
    body: /json/i.test(contentType) ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
    sensitive: true,
  });
  if (response.status >= 400) {
    // A refused refresh token will not start working by itself: the owner must connect again.
    if (response.status === 400 || response.status === 401) {
      throw new VendorError({
        code: "oauth2_refused",
        vendorCode: String(response.status),
        retryable: false,
        description: `The vendor refused the OAuth2 ${grant.grant_type} grant (HTTP ${response.status}): connect the account again.`,
      });
    }
    throw httpFailure(response.status, `The OAuth2 token endpoint answered HTTP ${response.status}.`);
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    // Some older servers answer form-encoded, as the OAuth 2.0 drafts allowed.
    json = Object.fromEntries(new URLSearchParams(response.body));
  }
  const access = stringOf(json.access_token);
  if (!access)
    throw new VendorError({
      code: "oauth2_no_token",
      retryable: false,
      description: "The OAuth2 token endpoint's answer has no access_token.",
    });
  const tokens: Record<string, string> = { [TOKEN_FIELDS.accessToken]: access };
  const refresh = stringOf(json.refresh_token);
  if (refresh) tokens[TOKEN_FIELDS.refreshToken] = refresh;
  const expiresIn = Number(json.expires_in);
  tokens[TOKEN_FIELDS.expiresAt] =
    Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(ctx.now().getTime() + expiresIn * 1000).toISOString() : "never";
  return tokens as Record<string, string> & { [TOKEN_FIELDS.accessToken]: string };
}

function stringOf(value: unknown): string {
  return typeof value === "string" ? value : "";
}
