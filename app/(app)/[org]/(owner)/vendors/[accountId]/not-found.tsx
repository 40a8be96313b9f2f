"use client";

import { useParams } from "next/navigation";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icon";

/** An unknown id, another org's id and a just-deleted account look the same: nothing to show. */
export default function VendorAccountNotFound() {
  // not-found boundaries get no props; the org comes from the URL.
  const { org } = useParams<{ org: string }>();
  return (
    <EmptyState
      icon="plug"
      title="Vendor account not found"
      description="It may have been deleted, or the link is wrong. Your organization's vendor accounts are listed on the Vendors page."
      action={
        <ButtonLink href={`/${org}/vendors`} variant="secondary">
          <Icon name="arrow-left" />
          Back to Vendors
        </ButtonLink>
      }
    />
  );
}
