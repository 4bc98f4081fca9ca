CREATE TABLE "budget_alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"budget_id" text NOT NULL,
	"threshold_pct" integer NOT NULL,
	"spent_micros" bigint NOT NULL,
	"amount_micros" bigint NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"end_user" text,
	"webhook_status" text DEFAULT 'none' NOT NULL,
	"webhook_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "budgets" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"scope" text NOT NULL,
	"key_id" text,
	"amount_micros" bigint NOT NULL,
	"period" text NOT NULL,
	"hard" boolean NOT NULL,
	"alert_thresholds" integer[] DEFAULT '{50,80,100}'::integer[] NOT NULL,
	"created_by_user_id" text,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budgets_key_scope_check" CHECK (("budgets"."scope" = 'key') = ("budgets"."key_id" is not null)),
	CONSTRAINT "budgets_amount_check" CHECK ("budgets"."amount_micros" > 0)
);
--> statement-breakpoint
CREATE TABLE "key_limits" (
	"key_id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"tier_id" text,
	"rpm" integer,
	"tpm" integer,
	"rpd" integer,
	"concurrent" integer,
	"cache_ttl_seconds" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_limit_settings" (
	"org_id" text PRIMARY KEY NOT NULL,
	"allow_unpriced_under_hard_budget" boolean DEFAULT false NOT NULL,
	"budget_alert_webhook_url" text,
	"webhook_secret_version" integer DEFAULT 1 NOT NULL,
	"cache_default" text DEFAULT 'off' NOT NULL,
	"cache_ttl_seconds" integer DEFAULT 3600 NOT NULL,
	"semantic_cache" boolean DEFAULT false NOT NULL,
	"semantic_threshold" double precision DEFAULT 0.95 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_limits" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"model" text,
	"rpm" integer,
	"tpm" integer,
	"rpd" integer,
	"concurrent" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limit_tiers" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"rpm" integer,
	"tpm" integer,
	"rpd" integer,
	"concurrent" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "response_cache" (
	"org_id" text NOT NULL,
	"key" text NOT NULL,
	"body" text NOT NULL,
	"meta" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "response_cache_org_id_key_pk" PRIMARY KEY("org_id","key")
);
--> statement-breakpoint
DROP INDEX "request_logs_org_client_request_idx";--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "cache_status" text;--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "saved_micros" bigint;--> statement-breakpoint
ALTER TABLE "budget_alerts" ADD CONSTRAINT "budget_alerts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_alerts" ADD CONSTRAINT "budget_alerts_budget_id_budgets_id_fk" FOREIGN KEY ("budget_id") REFERENCES "public"."budgets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_limits" ADD CONSTRAINT "key_limits_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_limits" ADD CONSTRAINT "key_limits_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_limits" ADD CONSTRAINT "key_limits_tier_id_rate_limit_tiers_id_fk" FOREIGN KEY ("tier_id") REFERENCES "public"."rate_limit_tiers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_limit_settings" ADD CONSTRAINT "org_limit_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_limits" ADD CONSTRAINT "org_limits_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_limit_tiers" ADD CONSTRAINT "rate_limit_tiers_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_cache" ADD CONSTRAINT "response_cache_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "budget_alerts_org_time_idx" ON "budget_alerts" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "budget_alerts_once_idx" ON "budget_alerts" USING btree ("budget_id","period_start","threshold_pct",coalesce("end_user", ''));--> statement-breakpoint
CREATE INDEX "budgets_org_idx" ON "budgets" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "budgets_key_idx" ON "budgets" USING btree ("key_id");--> statement-breakpoint
CREATE UNIQUE INDEX "budgets_scope_period_idx" ON "budgets" USING btree ("org_id","scope",coalesce("key_id", ''),"period");--> statement-breakpoint
CREATE INDEX "key_limits_org_idx" ON "key_limits" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "key_limits_tier_idx" ON "key_limits" USING btree ("tier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "org_limits_org_wide_idx" ON "org_limits" USING btree ("org_id") WHERE "org_limits"."model" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "org_limits_org_model_idx" ON "org_limits" USING btree ("org_id","model") WHERE "org_limits"."model" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "rate_limit_tiers_org_name_idx" ON "rate_limit_tiers" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "response_cache_expires_idx" ON "response_cache" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "request_logs_org_client_request_idx" ON "request_logs" USING btree ("org_id","client_request_id") WHERE "request_logs"."client_request_id" is not null;