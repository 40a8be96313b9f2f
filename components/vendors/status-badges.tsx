import { Badge } from "@/components/ui/badge";
import { Icon } from "@/components/ui/icon";
import type { VendorAccountView } from "@/lib/vendors/accounts";

/** Setup, on/off and default, in that order, the same on the list and on the account page. */
export function AccountStatusBadges({
  account,
}: {
  account: Pick<VendorAccountView, "fullyConfigured" | "enabled" | "isDefault">;
}) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      {account.fullyConfigured ? <Badge tone="green">Fully configured</Badge> : <Badge tone="yellow">Needs setup</Badge>}
      {account.enabled ? <Badge tone="blue">Enabled</Badge> : <Badge tone="gray">Disabled</Badge>}
      {account.isDefault ? (
        <Badge tone="indigo">
          <Icon name="check" className="size-3" />
          Default
        </Badge>
      ) : null}
    </span>
  );
}
