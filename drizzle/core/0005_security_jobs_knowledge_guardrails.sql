CREATE TABLE "knowledge_files" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"filename" text NOT NULL,
	"purpose" text NOT NULL,
	"bytes" integer NOT NULL,
	"content_type" text,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vector_store_files" (
	"vector_store_id" text NOT NULL,
	"file_id" text NOT NULL,
	"org_id" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"stage" text,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer DEFAULT 0 NOT NULL,
	"chunk_count" integer DEFAULT 0 NOT NULL,
	"usage_bytes" integer DEFAULT 0 NOT NULL,
	"last_error_code" text,
	"last_error_message" text,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vector_store_files_vector_store_id_file_id_pk" PRIMARY KEY("vector_store_id","file_id")
);
--> statement-breakpoint
CREATE TABLE "vector_stores" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"chunk_size" integer DEFAULT 1000 NOT NULL,
	"chunk_overlap" integer DEFAULT 200 NOT NULL,
	"embedding_model" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"file_counts" jsonb DEFAULT '{"in_progress":0,"completed":0,"failed":0,"cancelled":0,"total":0}'::jsonb NOT NULL,
	"usage_bytes" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'completed' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_active_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_daily" (
	"org_id" text NOT NULL,
	"day" timestamp with time zone NOT NULL,
	"api_key_id" text,
	"model" text,
	"provider_id" text,
	"end_user" text,
	"requests" bigint NOT NULL,
	"prompt_tokens" bigint NOT NULL,
	"completion_tokens" bigint NOT NULL,
	"cached_tokens" bigint NOT NULL,
	"spend_micros" bigint NOT NULL,
	"priced_requests" bigint NOT NULL,
	"unpriced_requests" bigint NOT NULL,
	"unpriced_prompt_tokens" bigint NOT NULL,
	"unpriced_completion_tokens" bigint NOT NULL,
	"last_unpriced_at" timestamp (6) with time zone,
	"cache_hits" bigint NOT NULL,
	"semantic_hits" bigint NOT NULL,
	"cache_lookups" bigint NOT NULL,
	"errors" bigint NOT NULL,
	"saved_micros" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_rollup_days" (
	"day" timestamp with time zone PRIMARY KEY NOT NULL,
	"rows" integer NOT NULL,
	"rolled_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "database_maintenance_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"database_kind" text NOT NULL,
	"tables" jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "health_snapshots" (
	"id" text PRIMARY KEY NOT NULL,
	"instance" text NOT NULL,
	"status" text NOT NULL,
	"report" jsonb NOT NULL,
	"taken_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_events" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"data" jsonb,
	"idempotency_key" text,
	"org_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"job_id" text NOT NULL,
	"event_id" text,
	"org_id" text,
	"trigger" text NOT NULL,
	"cron_tick" timestamp with time zone,
	"data" jsonb,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"error" text,
	"output" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_steps" (
	"run_id" text NOT NULL,
	"step_id" text NOT NULL,
	"output" jsonb NOT NULL,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_steps_run_id_step_id_pk" PRIMARY KEY("run_id","step_id")
);
--> statement-breakpoint
CREATE TABLE "guardrail_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"policy_id" text NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"definition" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"updated_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "guardrail_policy_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"policy_id" text NOT NULL,
	"version" integer NOT NULL,
	"change" text NOT NULL,
	"definition" jsonb,
	"actor_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "allowed_endpoints" text[];--> statement-breakpoint
ALTER TABLE "org_settings" ADD COLUMN "request_log_retention_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "guardrail_hits" jsonb;--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "guardrail_action" text;--> statement-breakpoint
ALTER TABLE "knowledge_files" ADD CONSTRAINT "knowledge_files_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vector_store_files" ADD CONSTRAINT "vector_store_files_vector_store_id_vector_stores_id_fk" FOREIGN KEY ("vector_store_id") REFERENCES "public"."vector_stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vector_store_files" ADD CONSTRAINT "vector_store_files_file_id_knowledge_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."knowledge_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vector_store_files" ADD CONSTRAINT "vector_store_files_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vector_stores" ADD CONSTRAINT "vector_stores_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_events" ADD CONSTRAINT "job_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_event_id_job_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."job_events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_steps" ADD CONSTRAINT "job_steps_run_id_job_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."job_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardrail_policies" ADD CONSTRAINT "guardrail_policies_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardrail_policy_versions" ADD CONSTRAINT "guardrail_policy_versions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "knowledge_files_org_idx" ON "knowledge_files" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "vector_store_files_org_idx" ON "vector_store_files" USING btree ("org_id","vector_store_id","created_at");--> statement-breakpoint
CREATE INDEX "vector_store_files_file_idx" ON "vector_store_files" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "vector_stores_org_idx" ON "vector_stores" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "usage_daily_org_day_idx" ON "usage_daily" USING btree ("org_id","day");--> statement-breakpoint
CREATE INDEX "database_maintenance_runs_started_idx" ON "database_maintenance_runs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "health_snapshots_taken_idx" ON "health_snapshots" USING btree ("taken_at");--> statement-breakpoint
CREATE UNIQUE INDEX "job_events_idempotency_key_idx" ON "job_events" USING btree ("idempotency_key") WHERE "job_events"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "job_events_created_idx" ON "job_events" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "job_runs_cron_tick_idx" ON "job_runs" USING btree ("job_id","cron_tick") WHERE "job_runs"."cron_tick" is not null;--> statement-breakpoint
CREATE INDEX "job_runs_due_idx" ON "job_runs" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "job_runs_org_created_idx" ON "job_runs" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "job_runs_job_created_idx" ON "job_runs" USING btree ("job_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "guardrail_policies_org_policy_idx" ON "guardrail_policies" USING btree ("org_id","policy_id");--> statement-breakpoint
CREATE INDEX "guardrail_policy_versions_org_policy_idx" ON "guardrail_policy_versions" USING btree ("org_id","policy_id","version");