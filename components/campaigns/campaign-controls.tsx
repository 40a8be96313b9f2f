"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import {
  archiveCampaignAction,
  pauseCampaignAction,
  resumeCampaignAction,
  startCampaignAction,
  unarchiveCampaignAction,
} from "@/lib/actions/campaigns";

type Status = "DRAFT" | "RUNNING" | "PAUSED" | "COMPLETED" | "ARCHIVED";
const ACTIONS = {
  start: startCampaignAction,
  pause: pauseCampaignAction,
  resume: resumeCampaignAction,
  archive: archiveCampaignAction,
  unarchive: unarchiveCampaignAction,
};
type Verb = keyof typeof ACTIONS;

/** Start, pause, resume, archive: the buttons a campaign's status allows, each answered in words. */
export function CampaignControls({ orgSlug, campaignId, status }: { orgSlug: string; campaignId: string; status: Status }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [busy, setBusy] = useState<Verb | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  function run(verb: Verb) {
    setBusy(verb);
    start(async () => {
      const result = await ACTIONS[verb](orgSlug, null, { campaignId });
      setBusy(null);
      if (!result.ok) return setMessage({ tone: "error", text: result.error });
      if (verb === "start" && "textable" in result.data) {
        const skipped = Object.values(result.data.skipped).reduce((a, b) => a + b, 0);
        setMessage({
          tone: "success",
          text: `Started: ${result.data.textable} to message${skipped ? `, ${skipped} skipped (opted out or untextable)` : ""}.`,
        });
      } else setMessage(null);
      router.refresh();
    });
  }

  const buttons: { verb: Verb; label: string; variant: "primary" | "secondary" | "danger" }[] = [
    ...(status === "DRAFT" ? [{ verb: "start" as const, label: "Start campaign", variant: "primary" as const }] : []),
    ...(status === "RUNNING" ? [{ verb: "pause" as const, label: "Pause", variant: "secondary" as const }] : []),
    ...(status === "PAUSED" ? [{ verb: "resume" as const, label: "Resume", variant: "primary" as const }] : []),
    ...(status !== "RUNNING" && status !== "ARCHIVED"
      ? [{ verb: "archive" as const, label: "Archive", variant: "secondary" as const }]
      : []),
    ...(status === "ARCHIVED" ? [{ verb: "unarchive" as const, label: "Unarchive", variant: "secondary" as const }] : []),
  ];
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {buttons.map((b) => (
          <Button key={b.verb} variant={b.variant} disabled={pending} onClick={() => run(b.verb)}>
            {busy === b.verb ? <Spinner /> : null}
            {b.label}
          </Button>
        ))}
      </div>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
    </div>
  );
}
