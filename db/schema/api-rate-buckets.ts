import { pgTable, real, timestamp, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./api-keys";

/** A token bucket per API key, shared by every web process. */
export const apiRateBuckets = pgTable("api_rate_buckets", {
  apiKeyId: uuid("api_key_id")
    .primaryKey()
    .references(() => apiKeys.id, { onDelete: "cascade" }),
  tokens: real("tokens").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 6 }).notNull(),
});
