import { AssignTexterSelect, NumberSettingsButton, ReleaseNumberButton } from "@/components/numbers/number-row-actions";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { effectiveRate, SENDER_TYPE_LABELS, type NumberAccount, type NumberRow } from "@/lib/numbers";
import { formatPhone } from "@/lib/phone";

const CAPABILITIES = [
  ["sms", "SMS"],
  ["mms", "MMS"],
  ["voice", "Voice"],
] as const;

export function NumbersTable({
  orgSlug,
  numbers,
  members,
  accounts,
  senderTypes,
  isOwner,
}: {
  orgSlug: string;
  numbers: NumberRow[];
  members: { userId: string; name: string }[];
  accounts: NumberAccount[];
  senderTypes: { value: string; label: string; defaultRate: number }[];
  isOwner: boolean;
}) {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  return (
    <Table aria-label="Phone numbers">
      <THead>
        <TR>
          <TH>Number</TH>
          <TH>Vendor account</TH>
          <TH>Capabilities</TH>
          <TH>Sending</TH>
          <TH>Texter</TH>
          {isOwner ? <TH className="text-right">Actions</TH> : null}
        </TR>
      </THead>
      <TBody>
        {numbers.map((n) => {
          const formatted = formatPhone(n.e164);
          const account = byId.get(n.vendorAccountId);
          const rate = effectiveRate(n);
          return (
            <TR key={n.id} data-e164={n.e164}>
              <TD className="whitespace-nowrap">
                <span className="font-medium text-zinc-900 tabular-nums">{formatted}</span>
                {formatted !== n.e164 ? <span className="block font-mono text-xs text-zinc-400">{n.e164}</span> : null}
              </TD>
              <TD>
                <span className="block max-w-44 truncate text-zinc-900" title={n.accountName}>
                  {n.accountName}
                </span>
                <span className="block text-xs text-zinc-500">{account?.kindName ?? n.accountKind}</span>
              </TD>
              <TD>
                <span className="flex flex-wrap gap-1">
                  {CAPABILITIES.filter(([key]) => n.capabilities[key]).map(([key, label]) => (
                    <Badge key={key} tone={key === "sms" ? "green" : key === "mms" ? "blue" : "gray"}>
                      {label}
                    </Badge>
                  ))}
                  {!CAPABILITIES.some(([key]) => n.capabilities[key]) ? <span className="text-zinc-400">—</span> : null}
                </span>
              </TD>
              <TD className="whitespace-nowrap">
                <span className="block text-zinc-900">{SENDER_TYPE_LABELS[n.senderType]}</span>
                <span className="block text-xs tabular-nums">
                  {`${rate.perSecond}/s `}
                  {rate.isDefault ? (
                    <span className="text-zinc-400">(default)</span>
                  ) : (
                    <span className="font-medium text-indigo-600">(override)</span>
                  )}
                </span>
                {n.messagingServiceId ? (
                  <span
                    className="mt-0.5 block max-w-40 truncate text-xs text-zinc-500"
                    title={`Messaging service ${n.messagingServiceId}`}
                  >
                    via <code className="font-mono text-zinc-700">{n.messagingServiceId}</code>
                  </span>
                ) : null}
              </TD>
              <TD>
                <AssignTexterSelect
                  orgSlug={orgSlug}
                  numberId={n.id}
                  number={formatted}
                  assigned={
                    n.assignedUserId
                      ? { userId: n.assignedUserId, name: n.assignedName ?? "Unknown", isMember: n.assignedIsMember }
                      : null
                  }
                  members={members}
                />
              </TD>
              {isOwner ? (
                <TD>
                  <div className="flex items-center justify-end gap-1">
                    <NumberSettingsButton
                      orgSlug={orgSlug}
                      numberId={n.id}
                      number={formatted}
                      values={{ senderType: n.senderType, rate: n.rate, messagingServiceId: n.messagingServiceId }}
                      senderTypes={senderTypes}
                    />
                    <ReleaseNumberButton
                      orgSlug={orgSlug}
                      numberId={n.id}
                      number={formatted}
                      accountName={n.accountName}
                      atVendor={account?.inventory ?? false}
                    />
                  </div>
                </TD>
              ) : null}
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
