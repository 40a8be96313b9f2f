import { bigint, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid, uniqueIndex, index, boolean } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { conversations } from "./conversations";
import { orgs } from "./orgs";
import { users } from "./users";
import { vendorAccounts } from "./vendor-accounts";
import { timeOrderedIdDefault } from "../ids";

export const MESSAGE_DIRECTIONS = ["OUTBOUND", "INBOUND"] as const;
export const directionEnum = pgEnum("message_direction", MESSAGE_DIRECTIONS);
/** Forward-only: QUEUED < SENDING < SENT < DELIVERED; FAILED and DELIVERED are final. RECEIVED is inbound. */
export const MESSAGE_STATUSES = ["QUEUED", "SENDING", "SENT", "DELIVERED", "FAILED", "RECEIVED"] as const;
export const messageStatusEnum = pgEnum("message_status", MESSAGE_STATUSES);
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const ENCODINGS = ["GSM7", "UCS2"] as const;
export const encodingEnum = pgEnum("message_encoding", ENCODINGS);

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().default(timeOrderedIdDefault),
    /** A number per message, for vendors whose references are integers (OutboundMessage.numericId). */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id").references(() => conversations.id, { onDelete: "cascade" }),
    direction: directionEnum("direction").notNull(),
    body: text("body").notNull(),
    media: jsonb("media").$type<string[]>().notNull().default([]),
    fromE164: text("from_e164").notNull(),
    toE164: text("to_e164").notNull(),
    vendorAccountId: uuid("vendor_account_id").references(() => vendorAccounts.id, { onDelete: "set null" }),
    messagingServiceId: text("messaging_service_id"),
    status: messageStatusEnum("status").notNull(),
    vendorMessageId: text("vendor_message_id"),
    errorCode: text("error_code"),
    errorDescription: text("error_description"),
    /** Why a message needs a person's eye, e.g. "unknown_number" for inbound to a number the org does not have. */
    flag: text("flag"),
    /** Set when a crash left the vendor's side unknown and the adapter cannot look it up. */
    needsReview: boolean("needs_review").notNull().default(false),
    segments: integer("segments").notNull().default(1),
    encoding: encodingEnum("encoding").notNull().default("GSM7"),
    idempotencyKey: text("idempotency_key"),
    sentByUserId: uuid("sent_by_user_id").references(() => users.id, { onDelete: "set null" }),
    attempts: integer("attempts").notNull().default(0),
    /**
     * While QUEUED or SENDING: when the worker sweep may assume the message's job was lost
     * (a killed worker) and queue it again. Sending is idempotent, so a second job is harmless.
     */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    /**
     * Device-pull accounts (SMSsync): when the phone was last handed this message. It waits
     * SENDING with no lease until the phone acknowledges it, and is offered again until then.
     */
    deviceOfferedAt: timestamp("device_offered_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("messages_vendor_message_key")
      .on(t.vendorAccountId, t.vendorMessageId)
      .where(sql`${t.vendorMessageId} is not null`),
    uniqueIndex("messages_org_idempotency_key")
      .on(t.orgId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index("messages_conversation_created_idx").on(t.conversationId, t.createdAt),
    index("messages_org_created_idx").on(t.orgId, t.createdAt),
    index("messages_unfinished_lease_idx").on(t.leaseUntil).where(sql`${t.status} in ('QUEUED', 'SENDING')`),
    index("messages_device_outbox_idx")
      .on(t.vendorAccountId, t.createdAt)
      .where(sql`${t.status} = 'SENDING' and ${t.leaseUntil} is null`),
  ],
);

export type Message = typeof messages.$inferSelect;
