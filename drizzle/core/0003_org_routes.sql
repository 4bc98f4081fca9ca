CREATE TABLE "routes" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "client_request_id" text;--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "route_name" text;--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "attempts" jsonb;--> statement-breakpoint
ALTER TABLE "routes" ADD CONSTRAINT "routes_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "routes_org_name_idx" ON "routes" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "request_logs_org_client_request_idx" ON "request_logs" USING btree ("org_id","client_request_id");