import type { Embedder } from "./types";

/**
 * A deterministic, offline text embedder: feature hashing ("the hashing trick") of lowercased
 * word unigrams, word bigrams and character trigrams into 384 signed buckets, L2-normalized.
 * No model download, no network; some tens of microseconds of CPU for a 1 KB prompt.
 *
 * Quality limits: it measures how much two texts share words and spellings, not what they mean.
 * Against "What is the capital of France?": "what is the capital of France" scores 1.0, "What is
 * the capital city of France?" 0.89, but "What is the capital of Germany?" 0.81 and "What is not
 * the capital of France?" 0.88, while "Paris is France's capital city" scores 0.47. Use it for
 * near-duplicate prompts (the semantic cache with a high threshold), and configure a real
 * embedding model where meaning matters.
 */

export const LOCAL_EMBEDDING_DIMENSIONS = 384;
export const LOCAL_EMBEDDER_ID = "switchyard-local-hash-v1";

/** Relative weight of each feature kind (words carry most of the meaning, trigrams absorb typos). */
const UNIGRAM_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.7;
const TRIGRAM_WEIGHT = 0.35;

const WORD = /[\p{L}\p{N}]+/gu;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 32;

/** murmur3's finalizer: spreads every input bit over the output, so buckets and signs are unbiased. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over a word's UTF-16 code units (not finalized: words are combined into bigrams first). */
function wordHash(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** Adds `weight` to the bucket of a finalized feature hash, with the sign from its top bit. */
function add(vector: Float64Array, hash: number, weight: number): void {
  // The sign makes colliding features cancel out on average instead of piling up.
  vector[hash % LOCAL_EMBEDDING_DIMENSIONS]! += (hash & 0x80000000) === 0 ? weight : -weight;
}

// Distinct seeds per feature kind: the word "ab" and the trigram "ab " land apart.
const SEED_UNIGRAM = 0x9e3779b1;
const SEED_BIGRAM = 0x85ebca77;
const SEED_TRIGRAM = 0xc2b2ae3d;

/**
 * The embedding of one text (length 384, unit length). A text without letters or digits has no
 * features and embeds to the zero vector, which is not comparable to anything.
 */
export function embedLocal(text: string): number[] {
  const vector = new Float64Array(LOCAL_EMBEDDING_DIMENSIONS);
  const words = text.toLowerCase().match(WORD) ?? [];
  let previous = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const h = wordHash(word);
    add(vector, fmix(h ^ SEED_UNIGRAM), UNIGRAM_WEIGHT);
    if (i > 0) add(vector, fmix(Math.imul(previous, FNV_PRIME) ^ h ^ SEED_BIGRAM), BIGRAM_WEIGHT);
    previous = h;
    // Character trigrams of " word ", hashed straight from the code units (no substrings).
    const n = word.length + 2;
    const at = (j: number) => (j === 0 || j === n - 1 ? SPACE : word.charCodeAt(j - 1));
    for (let j = 0; j + 3 <= n; j++) {
      let t = FNV_OFFSET ^ SEED_TRIGRAM;
      t = Math.imul(t ^ at(j), FNV_PRIME);
      t = Math.imul(t ^ at(j + 1), FNV_PRIME);
      t = Math.imul(t ^ at(j + 2), FNV_PRIME);
      add(vector, fmix(t), TRIGRAM_WEIGHT);
    }
  }
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  const out = new Array<number>(LOCAL_EMBEDDING_DIMENSIONS);
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! * scale;
  return out;
}

/** Cosine similarity of two vectors of equal length (1 = same direction). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export const localEmbedder: Embedder = {
  id: LOCAL_EMBEDDER_ID,
  dimensions: LOCAL_EMBEDDING_DIMENSIONS,
  embed: async (texts) => texts.map(embedLocal),
};
