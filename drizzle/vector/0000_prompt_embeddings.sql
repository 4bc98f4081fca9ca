CREATE TABLE "prompt_embeddings" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"request_id" text NOT NULL,
	"model" text NOT NULL,
	"embedding" vector(384) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "prompt_embeddings_org_idx" ON "prompt_embeddings" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "prompt_embeddings_hnsw_idx" ON "prompt_embeddings" USING hnsw ("embedding" vector_cosine_ops);