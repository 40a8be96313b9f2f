"use client";

import { useParams } from "next/navigation";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icon";

/** A missing campaign, another org's id and a page above the viewer's role all look the same. */
export function TexterNotFound() {
  const { org } = useParams<{ org: string }>();
  return (
    <EmptyState
      icon="megaphone"
      title="Campaign not found"
      description="The link may be wrong, or the campaign is not one you can work on. Your campaigns are listed on the Campaigns page."
      action={
        <ButtonLink href={`/${org}/campaigns`} variant="secondary">
          <Icon name="arrow-left" />
          Back to Campaigns
        </ButtonLink>
      }
    />
  );
}
