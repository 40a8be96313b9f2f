import type { ReactNode } from "react";
import { formatDateTime } from "@/lib/format";
import type { VendorAccountView } from "@/lib/vendors/accounts";

type ActivityAccount = Pick<
  VendorAccountView,
  | "lastActivityAt"
  | "lastPollAt"
  | "lastPollFetched"
  | "lastPollError"
  | "lastPollErrorAt"
  | "pollIntervalSeconds"
  | "lastDeviceContactAt"
>;

/** Last request always; poll and device times only for vendors that have them (they stay null otherwise). */
export function ActivityList({ account }: { account: ActivityAccount }) {
  return (
    <dl className="space-y-3 text-sm">
      <Row label="Last activity">
        {account.lastActivityAt ? formatDateTime(account.lastActivityAt) : <span className="text-zinc-400">None yet</span>}
      </Row>
      {account.pollIntervalSeconds ? (
        <Row label="Polling">
          Every {account.pollIntervalSeconds} seconds for replies and delivery reports
          {account.lastPollAt ? null : <span className="text-zinc-400"> · not polled yet</span>}
        </Row>
      ) : null}
      {account.lastPollAt ? (
        <Row label="Last poll">
          {formatDateTime(account.lastPollAt)}
          {account.lastPollFetched ? (
            <span className="block text-zinc-600" data-testid="poll-fetched">
              {plural(account.lastPollFetched.replies, "reply", "replies")} and{" "}
              {plural(account.lastPollFetched.reports, "delivery report", "delivery reports")} fetched
            </span>
          ) : null}
        </Row>
      ) : null}
      {account.lastPollError ? (
        <Row label="Last poll error">
          <span className="text-red-700">{account.lastPollError}</span>
          {account.lastPollErrorAt ? (
            <span className="block text-zinc-500">{formatDateTime(account.lastPollErrorAt)}</span>
          ) : null}
        </Row>
      ) : null}
      {account.lastDeviceContactAt ? <Row label="Last device contact">{formatDateTime(account.lastDeviceContactAt)}</Row> : null}
    </dl>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="space-y-0.5">
      <dt className="text-xs font-medium tracking-wide text-zinc-500 uppercase">{label}</dt>
      <dd className="break-words text-zinc-800">{children}</dd>
    </div>
  );
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
