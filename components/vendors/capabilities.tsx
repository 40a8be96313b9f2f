import { Badge } from "@/components/ui/badge";
import type { VendorCapabilities } from "@/lib/vendors/types";

/** Owner-facing words for each capability; the compiler asks for one whenever a capability is added. */
const CAPABILITY_LABELS = {
  inboundWebhook: "Inbound by webhook",
  inboundPolling: "Inbound by polling",
  devicePull: "Android device",
  deliveryReports: "Delivery reports",
  mms: "MMS",
  numberInventory: "Buys numbers",
  lookup: "Number lookup",
  messagingServices: "Messaging services",
} satisfies Record<keyof VendorCapabilities, string>;

export function CapabilityChips({ capabilities }: { capabilities: VendorCapabilities }) {
  const present = (Object.keys(CAPABILITY_LABELS) as (keyof VendorCapabilities)[]).filter((key) => capabilities[key]);
  if (present.length === 0) return null;
  return (
    <ul aria-label="Capabilities" className="flex flex-wrap gap-1.5">
      {present.map((key) => (
        <li key={key}>
          <Badge>{CAPABILITY_LABELS[key]}</Badge>
        </li>
      ))}
    </ul>
  );
}
