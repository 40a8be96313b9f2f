import { OrgNotFound } from "@/components/ui/org-not-found";

/** A missing id, another org's id and a thread assigned to someone else all look the same. */
export default function ConversationNotFound() {
  return (
    <OrgNotFound
      icon="chat"
      title="Conversation not found"
      description="It may have been reassigned to someone else, or the link is wrong. Your conversations are listed in the inbox."
      back={{ path: "conversations", label: "Conversations" }}
    />
  );
}
