"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { Badge } from "@/components/ui/badge";
import type { CampaignProgress } from "@/lib/campaigns/progress";

const POLL_MS = 1500;
const LABELS: Record<string, string> = {
  opted_out: "opted out",
  landline: "landlines",
  invalid: "invalid numbers",
  wrong_country: "outside the country",
};

/** The live bar: polls the campaign's counts while it runs; a status change refreshes the page's controls. */
export function CampaignProgressBar({
  orgSlug,
  campaignId,
  initial,
}: {
  orgSlug: string;
  campaignId: string;
  initial: CampaignProgress;
}) {
  const router = useRouter();
  const { data, isError } = useQuery({
    queryKey: ["campaign-progress", orgSlug, campaignId],
    queryFn: () => fetchProgress(orgSlug, campaignId),
    initialData: initial,
    refetchInterval: (query) => (isActive(query.state.data) ? POLL_MS : false),
  });
  const progress = isActive(initial) ? data : initial;
  const status = useRef(progress.status);
  useEffect(() => {
    if (status.current !== progress.status) router.refresh();
    status.current = progress.status;
  }, [progress.status, router]);

  const reachable = progress.total - progress.skipped;
  const parts = [
    { key: "delivered", value: progress.delivered, className: "bg-emerald-500", label: "delivered" },
    { key: "sent", value: progress.sent, className: "bg-indigo-600", label: "sent" },
    { key: "queued", value: progress.queued, className: "bg-indigo-300", label: "queued" },
    { key: "failed", value: progress.failed, className: "bg-red-400", label: "failed" },
  ];
  const done = progress.delivered + progress.sent + progress.failed;
  const summary = `${done} of ${reachable} sent, ${progress.queued} queued, ${progress.failed} failed`;
  return (
    <div className="space-y-3" data-testid="campaign-progress" data-status={progress.status}>
      <div
        role="progressbar"
        aria-label="Campaign progress"
        aria-valuemin={0}
        aria-valuemax={reachable}
        aria-valuenow={done}
        aria-valuetext={summary}
        className="flex h-2.5 overflow-hidden rounded-full bg-zinc-100"
      >
        {parts.map((p) => (
          <div
            key={p.key}
            className={`${p.className} transition-[width] duration-500 ease-out`}
            style={{ width: percent(p.value, reachable) }}
          />
        ))}
      </div>
      <dl className="grid grid-cols-3 gap-3 text-sm sm:grid-cols-7">
        {[
          ["Contacts", progress.total],
          ["Waiting", progress.pending],
          ["Queued", progress.queued],
          ["Sent", progress.sent + progress.delivered],
          ["Delivered", progress.delivered],
          ["Failed", progress.failed],
          ["Replied", progress.replied],
          ["Opted out", progress.optedOut],
          ["Skipped", progress.skipped],
        ].map(([label, value]) => (
          <div key={label}>
            <dt className="text-[13px] text-zinc-500">{label}</dt>
            <dd
              className="font-medium text-zinc-900 tabular-nums"
              data-testid={`count-${String(label).toLowerCase().replace(" ", "-")}`}
            >
              {Number(value).toLocaleString("en-US")}
            </dd>
          </div>
        ))}
      </dl>
      {progress.skipped > 0 ? (
        <p className="text-[13px] text-zinc-500">
          Skipped, never messaged:{" "}
          {Object.entries(progress.skippedBy)
            .map(([reason, n]) => `${n.toLocaleString("en-US")} ${LABELS[reason] ?? reason}`)
            .join(", ")}
          .
        </p>
      ) : null}
      {isError ? <Badge tone="yellow">Can&apos;t reach the server; still trying…</Badge> : null}
    </div>
  );
}

async function fetchProgress(orgSlug: string, campaignId: string): Promise<CampaignProgress> {
  const response = await fetch(`/api/orgs/${encodeURIComponent(orgSlug)}/campaigns/${encodeURIComponent(campaignId)}/progress`, {
    cache: "no-store",
  });
  if (!response.ok) throw new Error(`campaign progress: HTTP ${response.status}`);
  return ((await response.json()) as { progress: CampaignProgress }).progress;
}

/** Worth polling while anything may still move: running, or messages still on their way. */
function isActive(p: CampaignProgress | undefined): boolean {
  return Boolean(p && (p.status === "RUNNING" || p.queued > 0));
}

function percent(part: number, whole: number): string {
  return `${whole > 0 ? Math.min(100, (part / whole) * 100) : 0}%`;
}
