import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { Contact } from "@/db/schema/contacts";

type StatusFields = Pick<Contact, "statusCode" | "optedOutAt" | "lookedUpAt">;

/** Words for Spoke's status_code; an opt-out outranks whatever the lookup said. */
export function contactStatusOf(contact: StatusFields): { label: string; tone: BadgeTone; hint: string } {
  if (contact.optedOutAt)
    return { label: "Opted out", tone: "red", hint: "Replied STOP or was opted out; never texted again until they opt back in." };
  switch (contact.statusCode) {
    case -1:
      return { label: "Landline", tone: "yellow", hint: "A landline can't receive texts." };
    case -2:
      return { label: "Invalid", tone: "red", hint: "The number doesn't exist or isn't in service." };
    case -3:
      return { label: "Wrong country", tone: "red", hint: "The number is outside the country this organization texts." };
    case -4:
      return {
        label: "Lookup failed",
        tone: "yellow",
        hint: "The vendor couldn't look this number up; it may still be textable.",
      };
  }
  if (!contact.lookedUpAt)
    return { label: "Not looked up yet", tone: "gray", hint: "Waiting for a lookup with the default vendor." };
  return { label: "Textable", tone: "green", hint: "A mobile number that can receive texts." };
}

export function ContactStatusBadge({ contact }: { contact: StatusFields }) {
  const status = contactStatusOf(contact);
  return (
    <span title={status.hint}>
      <Badge tone={status.tone}>{status.label}</Badge>
    </span>
  );
}

/** "Ward: 3 · Team: Blue +2 more", short enough for a table cell. */
export function CustomFieldsSummary({ fields }: { fields: Record<string, string> }) {
  const entries = Object.entries(fields);
  if (entries.length === 0) return <span className="text-zinc-400">—</span>;
  const shown = entries.slice(0, 2);
  const full = entries.map(([k, v]) => `${k}: ${v}`).join("\n");
  return (
    <span title={full} className="block max-w-48 truncate text-[13px] text-zinc-600">
      {shown.map(([key, value], index) => (
        <span key={key}>
          {index > 0 ? <span className="px-1 text-zinc-300">·</span> : null}
          <span className="text-zinc-400">{key}:</span> {value}
        </span>
      ))}
      {entries.length > shown.length ? <span className="pl-1.5 text-zinc-400">+{entries.length - shown.length} more</span> : null}
    </span>
  );
}
