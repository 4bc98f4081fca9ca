CREATE TABLE "org_providers" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"base_url" text NOT NULL,
	"api_key_encrypted" text,
	"api_key_last4" text,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"models" text[] DEFAULT '{}' NOT NULL,
	"timeouts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"last_tested_at" timestamp with time zone,
	"last_test_result" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_prices" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"model" text NOT NULL,
	"input_micros_per_mtok" bigint NOT NULL,
	"output_micros_per_mtok" bigint NOT NULL,
	"cached_input_micros_per_mtok" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_settings" (
	"org_id" text PRIMARY KEY NOT NULL,
	"store_bodies" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_logs" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"api_key_id" text,
	"endpoint" text NOT NULL,
	"end_user" text,
	"metadata" jsonb,
	"requested_model" text,
	"served_model" text,
	"provider_id" text,
	"provider_type" text,
	"stream" boolean DEFAULT false NOT NULL,
	"status" integer NOT NULL,
	"error_code" text,
	"error_message" text,
	"finish_reason" text,
	"latency_ms" integer NOT NULL,
	"ttft_ms" integer,
	"upstream_ms" integer,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"cached_tokens" integer,
	"reasoning_tokens" integer,
	"cost_micros" bigint,
	"unpriced" boolean DEFAULT false NOT NULL,
	"request_body" text,
	"response_body" text,
	"bodies_truncated" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "org_providers" ADD CONSTRAINT "org_providers_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_prices" ADD CONSTRAINT "model_prices_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_settings" ADD CONSTRAINT "org_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_logs" ADD CONSTRAINT "request_logs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "org_providers_org_name_idx" ON "org_providers" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "org_providers_org_idx" ON "org_providers" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "model_prices_org_model_idx" ON "model_prices" USING btree ("org_id","model");--> statement-breakpoint
CREATE INDEX "request_logs_org_time_idx" ON "request_logs" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "request_logs_org_key_idx" ON "request_logs" USING btree ("org_id","api_key_id","created_at");--> statement-breakpoint
CREATE INDEX "request_logs_org_model_idx" ON "request_logs" USING btree ("org_id","served_model","created_at");