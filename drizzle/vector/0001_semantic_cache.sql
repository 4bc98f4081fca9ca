CREATE TABLE "semantic_cache_entries" (
	"org_id" text NOT NULL,
	"cache_key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"embedding" vector(384) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "semantic_cache_entries_org_id_cache_key_pk" PRIMARY KEY("org_id","cache_key")
);
--> statement-breakpoint
CREATE INDEX "semantic_cache_entries_lookup_idx" ON "semantic_cache_entries" USING btree ("org_id","fingerprint");--> statement-breakpoint
CREATE INDEX "semantic_cache_entries_expires_idx" ON "semantic_cache_entries" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "semantic_cache_entries_hnsw_idx" ON "semantic_cache_entries" USING hnsw ("embedding" vector_cosine_ops);