import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Icon } from "@/components/ui/icon";
import { CopyableUrl } from "./copyable-url";

/** The one address a device-pull phone uses for everything, with where it goes in the SMSsync app. */
export function SyncUrl({ url }: { url: string }) {
  return (
    <Card>
      <CardHeader
        title="Sync URL"
        description="The phone sends every text it receives here and fetches the texts it should send. It holds this account's unguessable token: keep it to the phone."
      />
      <CardBody className="space-y-3">
        <CopyableUrl url={url} testId="sync-url" />
        <p className="flex gap-1.5 text-[13px] leading-relaxed text-zinc-500">
          <Icon name="info" className="mt-0.5 size-3.5 shrink-0 text-zinc-400" />
          In SMSsync, add this as a Sync URL with the secret from Settings. Turn on “Get reply from server” for instant replies,
          task checking so the phone fetches messages to send, and the message results API for delivery reports.
        </p>
      </CardBody>
    </Card>
  );
}
