import type { VendorAccount } from "@/db/schema/vendor-accounts";
import { getAdapter, isVendorKind } from "./registry";

export const DEFAULT_POLL_SECONDS = 60;

/** Seconds between polls for this account, or undefined when it does not poll (a REST account on webhooks). */
export function pollInterval(account: Pick<VendorAccount, "kind" | "config">): number | undefined {
  if (!isVendorKind(account.kind)) return undefined;
  const adapter = getAdapter(account.kind);
  if (!adapter.poll) return undefined;
  const seconds = adapter.pollIntervalSeconds ? adapter.pollIntervalSeconds(account.config) : DEFAULT_POLL_SECONDS;
  return seconds && seconds > 0 ? seconds : undefined;
}
