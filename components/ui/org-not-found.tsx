"use client";

import { useParams } from "next/navigation";
import { ButtonLink } from "./button";
import { EmptyState } from "./empty-state";
import { Icon, type IconName } from "./icon";

/**
 * A not-found boundary inside an org: what was missing, and a way back to the org's list of
 * such things. Not-found boundaries get no props, so the org comes from the URL.
 */
export function OrgNotFound({
  icon,
  title,
  description,
  back,
}: {
  icon: IconName;
  title: string;
  description: string;
  /** The org page to go back to, without the org: "campaigns", and its name: "Campaigns". */
  back: { path: string; label: string };
}) {
  const { org } = useParams<{ org: string }>();
  return (
    <EmptyState
      icon={icon}
      title={title}
      description={description}
      action={
        <ButtonLink href={`/${org}/${back.path}`} variant="secondary">
          <Icon name="arrow-left" />
          Back to {back.label}
        </ButtonLink>
      }
    />
  );
}
