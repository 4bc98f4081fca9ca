export { chunkText } from "./chunk-text";
export {
  ChunkOptionsError,
  CHUNK_SIZE_MAX,
  CHUNK_SIZE_MIN,
  DEFAULT_CHUNK_OVERLAP,
  DEFAULT_CHUNK_SIZE,
  type ChunkOptions,
} from "./chunk-options";
export type { Chunk } from "../types";
