/**
 * An embedding model as a function: one vector per text, in order, every vector of the same
 * length. Switchyard's features take this port so the model is configurable (the local offline
 * embedder by default, a provider's embeddings endpoint when configured).
 */
export type EmbedTexts = (texts: readonly string[]) => Promise<number[][]>;

export interface Embedder {
  /** A stable name for what produced the vectors (stored next to them, compared on reuse). */
  readonly id: string;
  readonly dimensions: number;
  embed: EmbedTexts;
}
