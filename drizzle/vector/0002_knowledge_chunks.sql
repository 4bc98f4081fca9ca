CREATE TABLE "knowledge_chunks" (
	"org_id" text NOT NULL,
	"vector_store_id" text NOT NULL,
	"file_id" text NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"embedding" vector(384) NOT NULL,
	"tsv" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', "text")) STORED NOT NULL,
	CONSTRAINT "knowledge_chunks_vector_store_id_file_id_position_pk" PRIMARY KEY("vector_store_id","file_id","position")
);
--> statement-breakpoint
CREATE INDEX "knowledge_chunks_org_store_idx" ON "knowledge_chunks" USING btree ("org_id","vector_store_id");--> statement-breakpoint
CREATE INDEX "knowledge_chunks_hnsw_idx" ON "knowledge_chunks" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "knowledge_chunks_tsv_idx" ON "knowledge_chunks" USING gin ("tsv");