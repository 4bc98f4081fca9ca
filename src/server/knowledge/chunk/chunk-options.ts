/** Chunking options and their validation. */

export interface ChunkOptions {
  /** Largest chunk, in characters (UTF-16 code units): 100..8000. Default 1000. */
  size?: number;
  /** Characters shared by consecutive chunks at most: 0..floor(size / 2). Default 200. */
  overlap?: number;
  /** Fills `Chunk.tokens` when given (e.g. gpt-tokenizer's countTokens). */
  countTokens?: (text: string) => number;
}

export interface ResolvedChunkOptions {
  size: number;
  overlap: number;
  countTokens: ((text: string) => number) | undefined;
}

export const CHUNK_SIZE_MIN = 100;
export const CHUNK_SIZE_MAX = 8000;
export const DEFAULT_CHUNK_SIZE = 1000;
export const DEFAULT_CHUNK_OVERLAP = 200;

export class ChunkOptionsError extends RangeError {
  override name = "ChunkOptionsError";
  readonly code = "invalid_chunking_options";
  constructor(
    message: string,
    readonly param: "size" | "overlap",
  ) {
    super(message);
  }
}

export function resolveChunkOptions(options: ChunkOptions = {}): ResolvedChunkOptions {
  const size = options.size ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(size) || size < CHUNK_SIZE_MIN || size > CHUNK_SIZE_MAX) {
    throw new ChunkOptionsError(
      `Chunk size must be a whole number of characters from ${CHUNK_SIZE_MIN} to ${CHUNK_SIZE_MAX}; got ${String(size)}.`,
      "size",
    );
  }
  // The default overlap is capped by the size, so a small size alone is valid.
  const overlap = options.overlap ?? Math.min(DEFAULT_CHUNK_OVERLAP, Math.floor(size / 2));
  const maxOverlap = Math.floor(size / 2);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > maxOverlap) {
    throw new ChunkOptionsError(
      `Chunk overlap must be a whole number of characters from 0 to half the chunk size (${maxOverlap} for size ${size}); got ${String(overlap)}.`,
      "overlap",
    );
  }
  return { size, overlap, countTokens: options.countTokens };
}
