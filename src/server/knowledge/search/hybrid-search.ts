import { sql, type SQL } from "drizzle-orm";
import type { Attributes, AttributeFilter, SearchResult } from "~/gateway/knowledge/types";
import type { Db } from "~/server/db/client";
import { attributeCondition } from "./attribute-filters";

/**
 * Hybrid search over one vector store: a vector ranking (cosine similarity on the HNSW index,
 * matches below the threshold dropped) and a full-text ranking (Postgres `tsvector` on the GIN
 * index, any query word matching, ranked by `ts_rank_cd`), fused with reciprocal rank fusion.
 * Both rankings apply the same org, store and attribute filters before taking their candidates.
 */

/** RRF's constant: damps the weight of the very first ranks (60, as in the original paper). */
export const RRF_K = 60;
export const DEFAULT_SCORE_THRESHOLD = 0.7;
/** Query words used for the full-text ranking at most. */
const MAX_QUERY_WORDS = 64;

export interface HybridSearchInput {
  orgId: string;
  vectorStoreId: string;
  query: string;
  embedding: number[];
  maxResults: number;
  filters: AttributeFilter | null;
  scoreThreshold: number | null;
}

interface Candidate {
  file_id: string;
  position: number;
  text: string;
  metadata: Record<string, unknown>;
  score: number;
}

function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/** `word1 | word2 | …` of the query's letters-and-digits words (safe inside to_tsquery). */
export function fullTextQuery(query: string): string | null {
  const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, MAX_QUERY_WORDS);
  return words.length === 0 ? null : words.join(" | ");
}

export async function hybridSearch(db: Db, input: HybridSearchInput): Promise<SearchResult[]> {
  const candidates = Math.max(input.maxResults * 4, 40);
  const threshold = input.scoreThreshold ?? DEFAULT_SCORE_THRESHOLD;
  const scope: SQL = sql`org_id = ${input.orgId} and vector_store_id = ${input.vectorStoreId}${
    input.filters ? sql` and ${attributeCondition(input.filters)}` : sql``
  }`;
  const vector = `[${input.embedding.join(",")}]`;
  const hasDirection = input.embedding.some((x) => x !== 0);

  const vectorRanking = hasDirection
    ? await db.transaction(async (tx) => {
        // Filters are applied to what the index returns: let the scan go on past ef_search
        // candidates (pgvector ≥ 0.8) so a busy table cannot hide this store's matches.
        await tx.execute(sql`select set_config('hnsw.ef_search', ${String(Math.min(candidates, 1000))}, true)`);
        await tx
          .execute(sql`select set_config('hnsw.iterative_scan', 'relaxed_order', true)`)
          .catch(() => undefined);
        const result = await tx.execute(sql`
          select file_id, position, text, metadata, 1 - (embedding <=> ${vector}::vector) as score
          from knowledge_chunks where ${scope}
          order by embedding <=> ${vector}::vector limit ${candidates}`);
        return rowsOf<Candidate>(result)
          .map((row) => ({ ...row, score: Number(row.score) }))
          .filter((row) => row.score >= threshold)
          .sort((a, b) => b.score - a.score);
      })
    : [];

  const words = fullTextQuery(input.query);
  const textRanking = words
    ? rowsOf<Candidate>(
        await db.execute(sql`
          select file_id, position, text, metadata, ts_rank_cd(tsv, q) as score
          from knowledge_chunks, to_tsquery('english', ${words}) q
          where ${scope} and tsv @@ q
          order by score desc, position limit ${candidates}`),
      ).map((row) => ({ ...row, score: Number(row.score) }))
    : [];

  return fuseRankings(vectorRanking, textRanking, input.maxResults);
}

/**
 * Reciprocal rank fusion: each passage scores Σ 1/(RRF_K + rank) over the rankings it is in,
 * reported divided by the best possible (first in both), so 1 is a perfect match and a passage
 * first in only one ranking scores 0.5.
 */
export function fuseRankings(vector: Candidate[], text: Candidate[], limit: number): SearchResult[] {
  const best = 2 / (RRF_K + 1);
  const fused = new Map<string, { row: Candidate; rrf: number; vector: number | null; text: number | null }>();
  const add = (list: Candidate[], kind: "vector" | "text") => {
    list.forEach((row, index) => {
      const id = `${row.file_id}\0${row.position}`;
      const entry = fused.get(id) ?? { row, rrf: 0, vector: null, text: null };
      entry.rrf += 1 / (RRF_K + index + 1);
      entry[kind] = row.score;
      fused.set(id, entry);
    });
  };
  add(vector, "vector");
  add(text, "text");
  return [...fused.values()]
    .sort((a, b) => b.rrf - a.rrf || (b.vector ?? 0) - (a.vector ?? 0))
    .slice(0, limit)
    .map(({ row, rrf, vector: vectorScore, text: textRank }) => {
      const metadata = row.metadata ?? {};
      const attributes = (metadata.attributes as Attributes | undefined) ?? null;
      return {
        file_id: row.file_id,
        filename: typeof metadata.filename === "string" ? metadata.filename : "",
        score: Math.round((rrf / best) * 1e6) / 1e6,
        attributes: attributes && Object.keys(attributes).length > 0 ? attributes : null,
        content: [{ type: "text" as const, text: row.text }],
        switchyard: { chunk: row.position, vector_score: vectorScore, text_rank: textRank },
      };
    });
}
