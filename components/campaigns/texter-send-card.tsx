"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Icon } from "@/components/ui/icon";
import { Spinner } from "@/components/ui/spinner";
import { sendInitialAction } from "@/lib/actions/texting";
import type { TexterQueue } from "@/lib/campaigns/texting";
import { countSegments } from "@/lib/segments";
import { TexterOptOut } from "./texter-opt-out";

/**
 * The compliant model's one button: the next contact and the exact message they will get,
 * sent by a person's click. The page reloads its data after each click, so the next contact
 * comes from the server and a second tab never shows one already sent.
 */
export function TexterSendCard({ orgSlug, queue }: { orgSlug: string; queue: TexterQueue }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [notice, setNotice] = useState<{ tone: "error" | "warning"; text: string } | null>(null);
  const { next, progress, blockedReason } = queue;

  function send(campaignContactId: string) {
    setNotice(null);
    start(async () => {
      const result = await sendInitialAction(orgSlug, null, { campaignContactId });
      if (!result.ok) setNotice({ tone: "error", text: result.error });
      else if (result.data.status === "SKIPPED")
        setNotice({ tone: "warning", text: `Skipped: ${result.data.skipReason ?? "this contact cannot be texted"}` });
      router.refresh();
    });
  }

  return (
    <Card className="p-5">
      <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-[15px] font-semibold text-zinc-900">First messages</h2>
        <p className="text-sm text-zinc-600" aria-live="polite">
          <strong className="font-semibold text-zinc-900">{`${progress.sent} of ${progress.total} sent`}</strong>
          {progress.skipped + progress.optedOut > 0 ? ` · ${progress.skipped} skipped · ${progress.optedOut} opted out` : null}
        </p>
      </div>
      <Progress done={progress.total - progress.remaining} total={progress.total} />
      {notice ? (
        <Alert tone={notice.tone} className="mt-4">
          {notice.text}
        </Alert>
      ) : null}
      {blockedReason && next ? (
        <Alert tone="warning" className="mt-4">
          {blockedReason}
        </Alert>
      ) : null}
      {next ? (
        <div className="mt-4 space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
            <p>
              To <strong className="font-medium text-zinc-900">{next.name || next.phone}</strong>{" "}
              <span className="text-zinc-500">{next.phone}</span>
            </p>
            <TexterOptOut
              key={next.campaignContactId}
              orgSlug={orgSlug}
              campaignContactId={next.campaignContactId}
              name={next.name || next.phone}
              orgGoodbye={queue.orgGoodbye}
            />
          </div>
          <blockquote
            data-testid="initial-message"
            className="rounded-2xl rounded-bl-sm bg-indigo-50 px-4 py-3 text-[15px] leading-relaxed whitespace-pre-wrap text-zinc-900"
          >
            {next.body || <span className="text-zinc-500">This campaign has no script yet.</span>}
          </blockquote>
          <p className="text-xs text-zinc-500">{segmentsLabel(next.body)}</p>
          {next.untextable ? <Alert tone="warning">{next.untextable}</Alert> : null}
          <Button
            className="h-12 w-full text-base"
            onClick={() => send(next.campaignContactId)}
            disabled={pending || blockedReason !== null}
          >
            {pending ? <Spinner /> : <Icon name="send" />}
            {next.untextable ? "Skip this contact" : "Send"}
          </Button>
        </div>
      ) : (
        <p className="mt-4 flex items-center gap-2 text-sm text-zinc-600">
          <Icon name="check-circle" className="size-4 text-emerald-500" />
          {progress.total === 0
            ? "No contacts assigned to you in this campaign yet."
            : "All your first messages are done. Answer replies below."}
        </p>
      )}
    </Card>
  );
}

function Progress({ done, total }: { done: number; total: number }) {
  const percent = total === 0 ? 0 : Math.round((done / total) * 100);
  return (
    <div
      className="h-2 overflow-hidden rounded-full bg-zinc-100"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-label="First messages done"
    >
      <div className="h-full rounded-full bg-indigo-500 transition-[width]" style={{ width: `${percent}%` }} />
    </div>
  );
}

function segmentsLabel(body: string): string {
  const info = countSegments(body);
  return `${body.length} characters · ${info.segments} segment${info.segments === 1 ? "" : "s"} (${info.encoding})`;
}
