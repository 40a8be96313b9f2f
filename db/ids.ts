import { sql } from "drizzle-orm";
import { v7 } from "uuid";

/**
 * Rows written at volume (messages and their events, conversations, contacts, webhook events,
 * vendor request logs) get UUIDv7 ids (RFC 9562): the creation time in milliseconds, then
 * random bits. Random (v4) ids land on a random leaf of every index that leads with them, so each
 * insert dirtied a page of its own, and the first change to a page after a checkpoint writes the
 * whole page to the WAL; time-ordered ids append to the right edge. Figure a, two runs each: one
 * per call 956–994 → 1,088–1,125 msg/s, a hundred per call 1,794–1,954 → 2,121–2,243 msg/s
 * (docs/performance.md). The time an id carries is its row's creation, which the API shows anyway,
 * and its random bits keep it unguessable. Rows made rarely (orgs, users, keys, invitations) keep v4.
 */
export const timeOrderedId = (): string => v7();

/** The same as a column default: migration 0010's function (PostgreSQL has uuidv7() only from 18). */
export const timeOrderedIdDefault = sql`time_ordered_uuid()`;
