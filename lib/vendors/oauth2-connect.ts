import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ActionError } from "@/lib/action-result";
import { currentKey } from "@/lib/crypto/secrets";
import { publicUrl } from "@/lib/env";
import { findVendorAccount } from "./accounts";
import { buildVendorContext, storeAccountSecrets } from "./context";
import { definitionOf, valuesOf } from "./template/adapter";
import { authorizeUrl, exchangeCode } from "./template/oauth2";

/**
 * The OAuth2 web server flow for template accounts, between the owner's browser, the
 * vendor and the account's encrypted secrets. The state names the org, account and user it
 * was issued to and is signed; its nonce must also match a cookie set on the same browser,
 * so a code cannot be planted in another person's session.
 */
export const STATE_COOKIE = "sb_oauth2_state";
const STATE_TTL_MS = 10 * 60_000;

type StatePayload = { o: string; a: string; u: string; n: string; e: number };
type Who = { orgId: string; orgSlug: string; userId: string };

/** Where the vendor sends the owner back; the owner registers this URL with the vendor. */
export function oauth2CallbackUrl(orgSlug: string, accountId: string): string {
  return `${publicUrl()}/api/orgs/${orgSlug}/vendors/${accountId}/oauth2/callback`;
}

/** The vendor's authorize URL for this account, and the nonce to keep in the browser's cookie. */
export async function startOAuth2(who: Who, accountId: string): Promise<{ location: string; nonce: string }> {
  const { account, definition } = await oauth2Account(who.orgId, accountId);
  const nonce = randomBytes(16).toString("base64url");
  const state = signState({ o: who.orgId, a: account.id, u: who.userId, n: nonce, e: Date.now() + STATE_TTL_MS });
  const { ctx } = buildVendorContext(account);
  const location = authorizeUrl(definition.OAuth2!, valuesOf(ctx), {
    redirectUri: oauth2CallbackUrl(who.orgSlug, account.id),
    state,
    originOverride: typeof ctx.config.originOverride === "string" ? ctx.config.originOverride : undefined,
  });
  return { location, nonce };
}

/** Checks the state against who is signed in and the browser's nonce, exchanges the code and stores the tokens. */
export async function finishOAuth2(
  who: Who,
  accountId: string,
  query: { code?: string; state?: string; error?: string },
  cookieNonce: string | undefined,
): Promise<void> {
  const { account, definition } = await oauth2Account(who.orgId, accountId);
  const state = verifyState(query.state);
  if (
    !state ||
    state.o !== who.orgId ||
    state.a !== account.id ||
    state.u !== who.userId ||
    !cookieNonce ||
    !safeEqual(state.n, cookieNonce)
  ) {
    throw new ActionError(400, "This sign-in link is not for this account or has expired; start the connection again.");
  }
  if (query.error || !query.code)
    throw new ActionError(400, `The vendor did not authorize the connection${query.error ? ` (${query.error})` : ""}.`);
  const { ctx } = buildVendorContext(account);
  const tokens = await exchangeCode(ctx, definition.OAuth2!, valuesOf(ctx), {
    code: query.code,
    redirectUri: oauth2CallbackUrl(who.orgSlug, account.id),
    originOverride: typeof ctx.config.originOverride === "string" ? ctx.config.originOverride : undefined,
  });
  await storeAccountSecrets(account, tokens);
}

async function oauth2Account(orgId: string, accountId: string) {
  const account = await findVendorAccount(orgId, accountId);
  if (account.kind !== "template") throw new ActionError(404, "Not found.");
  const definition = definitionOf(account.config as { definition: string });
  if (!definition.OAuth2) throw new ActionError(409, "This account's definition has no OAuth2 section.");
  return { account, definition };
}

function signState(payload: StatePayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${mac(body)}`;
}

function verifyState(state: string | undefined): StatePayload | null {
  const [body, signature] = (state ?? "").split(".");
  if (!body || !signature || !safeEqual(signature, mac(body))) return null;
  try {
    const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as StatePayload;
    return payload.e > Date.now() ? payload : null;
  } catch {
    return null;
  }
}

/** Keyed by SECRETS_KEY under its own label, so the key is never used for two purposes as is. */
function mac(body: string): string {
  const key = createHmac("sha256", currentKey().key).update("switchboard oauth2 state").digest();
  return createHmac("sha256", key).update(body).digest("base64url");
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
