"use client";

import { useParams } from "next/navigation";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icon";

/** A missing id, another org's id and a thread assigned to someone else all look the same. */
export default function ConversationNotFound() {
  const { org } = useParams<{ org: string }>();
  return (
    <EmptyState
      icon="chat"
      title="Conversation not found"
      description="It may have been reassigned to someone else, or the link is wrong. Your conversations are listed in the inbox."
      action={
        <ButtonLink href={`/${org}/conversations`} variant="secondary">
          <Icon name="arrow-left" />
          Back to Conversations
        </ButtonLink>
      }
    />
  );
}
