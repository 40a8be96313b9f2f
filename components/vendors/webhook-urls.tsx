import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icon";
import { CopyableUrl } from "./copyable-url";
import type { VendorCapabilities } from "@/lib/vendors/types";

/** Where each common action's URL goes in a vendor's console; other actions get a generic sentence. */
const WHERE_TO_PASTE: Record<string, { title: string; where: (vendor: string) => string }> = {
  inbound: {
    title: "Incoming messages",
    where: (vendor) =>
      `In ${vendor}'s console, paste this as the webhook for incoming messages (often called “A message comes in”, “Inbound URL” or “Messaging webhook”) on each number or messaging service you use.`,
  },
  status: {
    title: "Delivery reports",
    where: (vendor) =>
      `In ${vendor}'s console, paste this as the status callback or delivery receipt URL, so Switchboard learns when each message is delivered or fails.`,
  },
};

export function WebhookUrls({
  kindName,
  urls,
  capabilities,
}: {
  kindName: string;
  urls: { action: string; url: string }[];
  capabilities: VendorCapabilities;
}) {
  if (urls.length === 0) {
    const why = capabilities.inboundPolling
      ? `Switchboard fetches replies and delivery reports from ${kindName} on a schedule, so there is nothing to paste.`
      : capabilities.devicePull
        ? "The device contacts Switchboard itself; set it up with the sync URL from its own instructions."
        : `${kindName} doesn't call Switchboard back, so there is nothing to paste.`;
    return <EmptyState icon="plug" title="No webhooks for this vendor" description={why} />;
  }
  return (
    <Card>
      <CardHeader
        title="Webhook URLs"
        description={`${kindName} calls these addresses to tell Switchboard about replies and deliveries. Each holds this account's unguessable token: share it only with ${kindName}.`}
      />
      <ul className="divide-y divide-zinc-100">
        {urls.map(({ action, url }) => {
          const known = WHERE_TO_PASTE[action];
          return (
            <li key={action}>
              <CardBody className="space-y-2">
                <div className="flex items-center gap-2">
                  <h3 className="text-sm font-medium text-zinc-900">{known?.title ?? `“${action}” webhook`}</h3>
                  <code className="rounded bg-zinc-100 px-1.5 py-0.5 text-[11px] text-zinc-600">{action}</code>
                </div>
                <CopyableUrl url={url} testId={`webhook-url-${action}`} />
                <p className="flex gap-1.5 text-[13px] leading-relaxed text-zinc-500">
                  <Icon name="info" className="mt-0.5 size-3.5 shrink-0 text-zinc-400" />
                  {known
                    ? known.where(kindName)
                    : `In ${kindName}'s console, paste this where it asks for the “${action}” webhook URL.`}
                </p>
              </CardBody>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
