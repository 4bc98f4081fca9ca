ALTER TABLE "request_logs" ADD COLUMN "cache_status" text;--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "saved_micros" bigint;