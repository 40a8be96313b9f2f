CREATE TABLE "message_parts" (
	"org_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"vendor_account_id" uuid NOT NULL,
	"vendor_message_id" text NOT NULL,
	"part_index" integer NOT NULL,
	"status" "message_status" DEFAULT 'SENT' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_parts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"vendor_account_id" uuid NOT NULL,
	"from_e164" text NOT NULL,
	"to_e164" text NOT NULL,
	"ref" text NOT NULL,
	"total" integer NOT NULL,
	"part_index" integer NOT NULL,
	"body" text NOT NULL,
	"media" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"vendor_message_id" text,
	"received_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"assembled_message_id" uuid
);
--> statement-breakpoint
ALTER TABLE "message_parts" ADD CONSTRAINT "message_parts_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_parts" ADD CONSTRAINT "message_parts_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_parts" ADD CONSTRAINT "message_parts_vendor_account_id_vendor_accounts_id_fk" FOREIGN KEY ("vendor_account_id") REFERENCES "public"."vendor_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_parts" ADD CONSTRAINT "inbound_parts_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_parts" ADD CONSTRAINT "inbound_parts_vendor_account_id_vendor_accounts_id_fk" FOREIGN KEY ("vendor_account_id") REFERENCES "public"."vendor_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_parts" ADD CONSTRAINT "inbound_parts_assembled_message_id_messages_id_fk" FOREIGN KEY ("assembled_message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "message_parts_vendor_key" ON "message_parts" USING btree ("vendor_account_id","vendor_message_id");--> statement-breakpoint
CREATE INDEX "message_parts_message_idx" ON "message_parts" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_parts_vendor_key" ON "inbound_parts" USING btree ("vendor_account_id","vendor_message_id") WHERE "inbound_parts"."vendor_message_id" is not null;--> statement-breakpoint
CREATE INDEX "inbound_parts_pending_idx" ON "inbound_parts" USING btree ("vendor_account_id","from_e164","to_e164","ref") WHERE "inbound_parts"."assembled_message_id" is null;--> statement-breakpoint
CREATE INDEX "inbound_parts_pending_created_idx" ON "inbound_parts" USING btree ("created_at") WHERE "inbound_parts"."assembled_message_id" is null;