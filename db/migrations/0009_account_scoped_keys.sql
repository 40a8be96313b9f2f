CREATE UNIQUE INDEX "vendor_accounts_org_id_id_key" ON "vendor_accounts" USING btree ("org_id","id");--> statement-breakpoint
DROP INDEX "vendor_accounts_org_idx";--> statement-breakpoint
ALTER TABLE "message_events" DROP CONSTRAINT "message_events_org_id_orgs_id_fk";
--> statement-breakpoint
ALTER TABLE "webhook_events" DROP CONSTRAINT "webhook_events_org_id_orgs_id_fk";
--> statement-breakpoint
ALTER TABLE "webhook_events" DROP CONSTRAINT "webhook_events_vendor_account_id_vendor_accounts_id_fk";
--> statement-breakpoint
ALTER TABLE "vendor_request_logs" DROP CONSTRAINT "vendor_request_logs_org_id_orgs_id_fk";
--> statement-breakpoint
ALTER TABLE "vendor_request_logs" DROP CONSTRAINT "vendor_request_logs_vendor_account_id_vendor_accounts_id_fk";
--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_account_fk" FOREIGN KEY ("org_id","vendor_account_id") REFERENCES "public"."vendor_accounts"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_request_logs" ADD CONSTRAINT "vendor_request_logs_account_fk" FOREIGN KEY ("org_id","vendor_account_id") REFERENCES "public"."vendor_accounts"("org_id","id") ON DELETE cascade ON UPDATE no action;
