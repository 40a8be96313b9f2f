ALTER TABLE "vendor_accounts" ADD COLUMN "last_poll_fetched" jsonb;--> statement-breakpoint
ALTER TABLE "vendor_accounts" ADD COLUMN "last_poll_error_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "vendor_accounts" ADD COLUMN "poll_claimed_until" timestamp with time zone;