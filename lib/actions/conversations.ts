"use server";

import { and, eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/db";
import { writeAudit } from "@/db/queries/audit";
import { conversations } from "@/db/schema/conversations";
import { memberships } from "@/db/schema/memberships";
import { ActionError } from "@/lib/action-result";
import { optOutContactIn } from "@/lib/contacts";
import { requireThreadHeader, type ThreadMessage } from "@/lib/conversations";
import { MAX_BODY_LENGTH, queueMessage } from "@/lib/messaging/send";
import { orgAction, type OrgContext } from "@/lib/tenancy";

/**
 * The conversations page's mutations. Each looks the thread up through requireThreadHeader,
 * which scopes by org and, for texters, by assignment: another org's id and a thread that
 * is not yours both answer 404.
 */
const conversationIdSchema = z.string({ message: "Unknown conversation" }).uuid("Unknown conversation");

export const sendReplyAction = orgAction(
  {
    role: "TEXTER",
    schema: z.object({
      conversationId: conversationIdSchema,
      body: z
        .string({ message: "Write a message" })
        .max(MAX_BODY_LENGTH, `Keep messages to ${MAX_BODY_LENGTH} characters`)
        .refine((body) => body.trim().length > 0, "Write a message"),
      /** Chosen by the composer per draft, so a double click or a retried request sends once. */
      idempotencyKey: z.string().trim().min(8).max(100).optional(),
    }),
  },
  async (ctx, input): Promise<ThreadMessage & { movedToConversationId?: string }> => {
    const thread = await requireThreadHeader(ctx, input.conversationId);
    try {
      const { message } = await queueMessage(
        ctx.org.id,
        {
          to: thread.contact.e164,
          body: input.body,
          idempotencyKey: input.idempotencyKey ? `reply:${ctx.user.id}:${input.idempotencyKey}` : undefined,
        },
        { sentByUserId: ctx.user.id, conversationId: thread.id },
      );
      return {
        id: message.id,
        direction: message.direction,
        body: message.body,
        media: message.media,
        status: message.status,
        errorCode: message.errorCode,
        errorDescription: message.errorDescription,
        flag: message.flag,
        needsReview: message.needsReview,
        segments: message.segments,
        encoding: message.encoding,
        fromE164: message.fromE164,
        toE164: message.toE164,
        sentByName: ctx.user.name,
        createdAt: message.createdAt.toISOString(),
        // A thread whose number the org no longer has replies from another number, in that number's thread.
        ...(message.conversationId && message.conversationId !== thread.id
          ? { movedToConversationId: message.conversationId }
          : {}),
      };
    } catch (error) {
      throw composerError(error);
    }
  },
);

export const markReadAction = orgAction(
  { role: "TEXTER", schema: z.object({ conversationId: conversationIdSchema }) },
  async (ctx, input) => {
    const thread = await requireThreadHeader(ctx, input.conversationId);
    if (thread.unread) {
      await db
        .update(conversations)
        .set({ unread: false })
        .where(and(eq(conversations.orgId, ctx.org.id), eq(conversations.id, thread.id)));
    }
    return null;
  },
);

/** Admins and supervolunteers hand a thread to a member, or back to nobody with "". */
export const reassignConversationAction = orgAction(
  {
    role: "SUPERVOLUNTEER",
    schema: z.object({
      conversationId: conversationIdSchema,
      userId: z.preprocess(
        (id) => (id === "" || id === undefined ? null : id),
        z.string().uuid("Choose a member of this organization").nullable(),
      ),
    }),
  },
  async (ctx, input) => {
    const thread = await requireThreadHeader(ctx, input.conversationId);
    if (input.userId) {
      const [member] = await db
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.orgId, ctx.org.id), eq(memberships.userId, input.userId)))
        .limit(1);
      if (!member)
        throw new ActionError(422, "Choose a member of this organization.", { userId: "Choose a member of this organization" });
    }
    if (thread.assignedUserId === input.userId) return { assignedUserId: input.userId };
    await db.transaction(async (tx) => {
      await tx
        .update(conversations)
        .set({ assignedUserId: input.userId })
        .where(and(eq(conversations.orgId, ctx.org.id), eq(conversations.id, thread.id)));
      await writeAudit(
        {
          orgId: ctx.org.id,
          actorUserId: ctx.user.id,
          actorLabel: "user",
          action: "conversation.reassign",
          targetType: "conversation",
          targetId: thread.id,
          details: { from: thread.assignedUserId, to: input.userId },
        },
        tx,
      );
    });
    revalidate(ctx);
    return { assignedUserId: input.userId };
  },
);

/** The contact asked in words not to be texted: the same lock a STOP gives. */
export const optOutContactAction = orgAction(
  { role: "TEXTER", schema: z.object({ conversationId: conversationIdSchema }) },
  async (ctx, input) => {
    const thread = await requireThreadHeader(ctx, input.conversationId);
    if (thread.contact.optedOutAt) return null;
    await db.transaction((tx) =>
      optOutContactIn(tx, ctx.org.id, { userId: ctx.user.id, label: "user" }, thread.contact.id, { conversationId: thread.id }),
    );
    revalidate(ctx);
    return null;
  },
);

function revalidate(ctx: OrgContext): void {
  revalidatePath(`/${ctx.org.slug}/conversations`, "layout");
}

/**
 * queueMessage names the field of its input ("to: …"); the composer has one field, the body,
 * so a refusal (opted out, untextable) or a sending problem is shown there in plain words.
 */
function composerError(error: unknown): unknown {
  if (!(error instanceof ActionError) || error.status === 404) return error;
  const reason = error.message.replace(/^\w+: /, "");
  const message = error.status === 409 ? `Not sent. ${reason}` : `Not sent: ${lowerFirst(reason)}`;
  return new ActionError(error.status, message, { body: message });
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
