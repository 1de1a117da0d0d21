CREATE TABLE "event_anomalies" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "event_anomalies_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"event_id" text COLLATE "C" NOT NULL,
	"vendor" text NOT NULL,
	"process_id" text NOT NULL,
	"code" text NOT NULL,
	"incoming" jsonb NOT NULL,
	"incoming_hash" text NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"tenant_id" text NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"vendor" text NOT NULL,
	"process_id" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" text COLLATE "C" NOT NULL,
	"seq" integer NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_email" text,
	"actor_name" text,
	"actor_id" text,
	"signer_id" text,
	"document_id" text,
	"channel" text,
	"data" jsonb NOT NULL,
	"vendor_event" jsonb NOT NULL,
	"origin" text NOT NULL,
	"confirmed_by" text COLLATE "C",
	"raw" jsonb NOT NULL,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signer_email" text GENERATED ALWAYS AS (lower(coalesce("data"->>'signerEmail', CASE WHEN "actor_kind" = 'signer' THEN "actor_email" END))) STORED,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple',
  "process_id" || ' ' ||
  coalesce("signer_id", '') || ' ' ||
  coalesce("actor_name", '') || ' ' ||
  coalesce("actor_email", '') || ' ' ||
  coalesce("data"->>'signerName', '') || ' ' ||
  coalesce("data"->>'signerEmail', '') || ' ' ||
  coalesce("data"->>'signerPhone', '') || ' ' ||
  coalesce("data"->>'fileName', ''))) STORED NOT NULL,
	CONSTRAINT "events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "events_occurred_at_form" CHECK ("events"."occurred_at" ~ '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$')
);
--> statement-breakpoint
CREATE TABLE "ingestion_warnings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ingestion_warnings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"vendor" text NOT NULL,
	"process_id" text,
	"type" text NOT NULL,
	"feature" text,
	"vendor_type" text,
	"count" integer,
	"message" text NOT NULL,
	"fingerprint" text NOT NULL,
	"occurrences" integer DEFAULT 1 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "process_states" (
	"tenant_id" text NOT NULL,
	"vendor" text NOT NULL,
	"process_id" text NOT NULL,
	"status" text NOT NULL,
	"vendor_status" text,
	"status_hint" text,
	"state" jsonb NOT NULL,
	"event_count" integer NOT NULL,
	"last_event_at" text COLLATE "C",
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "process_states_tenant_id_vendor_process_id_pk" PRIMARY KEY("tenant_id","vendor","process_id")
);
--> statement-breakpoint
CREATE TABLE "sync_cursors" (
	"tenant_id" text NOT NULL,
	"vendor" text NOT NULL,
	"cursor" text COLLATE "C",
	"walk_from" text COLLATE "C",
	"walk_to" text COLLATE "C",
	"walk_processes" integer DEFAULT 0 NOT NULL,
	"walk_events" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_cursors_tenant_id_vendor_pk" PRIMARY KEY("tenant_id","vendor")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vendor_connections" (
	"tenant_id" text NOT NULL,
	"vendor" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"credentials" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vendor_connections_tenant_id_vendor_pk" PRIMARY KEY("tenant_id","vendor")
);
--> statement-breakpoint
ALTER TABLE "event_anomalies" ADD CONSTRAINT "event_anomalies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingestion_warnings" ADD CONSTRAINT "ingestion_warnings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "process_states" ADD CONSTRAINT "process_states_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_cursors" ADD CONSTRAINT "sync_cursors_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_connections" ADD CONSTRAINT "vendor_connections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_anomalies_version_idx" ON "event_anomalies" USING btree ("tenant_id","event_id","incoming_hash");--> statement-breakpoint
CREATE INDEX "event_anomalies_process_idx" ON "event_anomalies" USING btree ("tenant_id","vendor","process_id");--> statement-breakpoint
CREATE INDEX "events_time_idx" ON "events" USING btree ("tenant_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "events_process_idx" ON "events" USING btree ("tenant_id","vendor","process_id","occurred_at");--> statement-breakpoint
CREATE INDEX "events_vendor_time_idx" ON "events" USING btree ("tenant_id","vendor","occurred_at");--> statement-breakpoint
CREATE INDEX "events_type_time_idx" ON "events" USING btree ("tenant_id","type","occurred_at");--> statement-breakpoint
CREATE INDEX "events_signer_email_idx" ON "events" USING btree ("tenant_id","signer_email") WHERE "events"."signer_email" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "events_search_idx" ON "events" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "ingestion_warnings_fingerprint_idx" ON "ingestion_warnings" USING btree ("tenant_id","fingerprint");--> statement-breakpoint
CREATE INDEX "process_states_status_idx" ON "process_states" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "process_states_recent_idx" ON "process_states" USING btree ("tenant_id","last_event_at");