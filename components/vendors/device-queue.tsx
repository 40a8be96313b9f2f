import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Icon } from "@/components/ui/icon";
import { formatDateTime } from "@/lib/format";
import type { DeviceQueueItem } from "@/lib/messaging/device";
import { formatPhone } from "@/lib/phone";

const EXCERPT_CHARS = 80;

/**
 * What waits for a device-pull phone (SMSsync): messages leave only when the phone asks for them,
 * so the owner sees here whether they pile up, and whether the phone was offered them yet.
 */
export function DeviceQueue({ items, total }: { items: DeviceQueueItem[]; total: number }) {
  return (
    <Card data-testid="device-queue">
      <CardHeader
        title="Waiting for the phone"
        description={
          total === 0
            ? "Messages wait here until the phone fetches them."
            : `${total === 1 ? "1 message waits" : `${total} messages wait`} until the phone fetches and acknowledges ${total === 1 ? "it" : "them"}, oldest first.`
        }
      />
      {items.length === 0 ? (
        <CardBody className="flex items-center gap-2 text-sm text-zinc-500">
          <Icon name="inbox" className="size-4 shrink-0 text-zinc-400" />
          Nothing is waiting: every message has been handed to the phone.
        </CardBody>
      ) : (
        <ul className="divide-y divide-zinc-100">
          {items.map((item) => (
            <li key={item.id} data-testid="device-queue-item">
              <CardBody className="space-y-1 py-3 text-sm">
                <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                  <span className="font-medium text-zinc-900">{formatPhone(item.toE164)}</span>
                  <span className="text-xs text-zinc-500">
                    Queued {formatDateTime(item.createdAt)} ·{" "}
                    {item.deviceOfferedAt ? `offered ${formatDateTime(item.deviceOfferedAt)}` : "not offered yet"}
                  </span>
                </div>
                <p className="truncate text-zinc-600" title={item.body}>
                  {excerpt(item.body)}
                </p>
              </CardBody>
            </li>
          ))}
        </ul>
      )}
      {total > items.length ? (
        <CardBody className="border-t border-zinc-100 text-xs text-zinc-500">And {total - items.length} more.</CardBody>
      ) : null}
    </Card>
  );
}

function excerpt(body: string): string {
  const text = body.replace(/\s+/g, " ").trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text;
}
