import { Level, type BoundaryList } from "./boundaries";
import { lastAtMost } from "./sorted-search";

/** Choosing where a chunk ends and where the next one starts (the rules are in chunk-text.ts). */

export interface Cut {
  end: number;
  next: number;
  level: number;
}

/** The best boundary ending after `after`: best level, then latest end, from `preferredFrom` on; else the latest before it. */
export function bestCut(boundaries: BoundaryList, after: number, preferredFrom: number): Cut | null {
  let best = -1;
  let fallback = -1;
  const { ends, levels, count } = boundaries;
  for (let index = 0; index < count; index++) {
    const end = ends[index] ?? 0;
    if (end <= after) continue;
    if (end >= preferredFrom) {
      if (best === -1 || (levels[index] ?? 0) >= (levels[best] ?? 0)) best = index;
    } else {
      fallback = index;
    }
  }
  const chosen = best === -1 ? fallback : best;
  if (chosen === -1) return null;
  return { end: ends[chosen] ?? 0, next: boundaries.nexts[chosen] ?? 0, level: levels[chosen] ?? 0 };
}

/** A cut inside a word longer than what is left of the chunk, never between a surrogate pair's halves. */
export function hardCut(text: string, start: number, size: number): Cut {
  let end = start + size;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return { end, next: end, level: 0 };
}

/** Where the chunk after `cut` starts, so that it shares at most `overlap` characters with this one. */
export function overlapStart(
  boundaries: BoundaryList,
  chunkStart: number,
  cut: Cut,
  overlap: number,
  headingStarts: readonly number[],
): number {
  if (overlap === 0 || cut.level === Level.heading || cut.level === 0) return cut.next;
  const heading = lastAtMost(headingStarts, cut.end);
  const from = Math.max(cut.end - overlap, chunkStart + 1, heading);
  const minSentenceOverlap = Math.ceil(overlap / 2);
  const { nexts, levels, count } = boundaries;
  let word = -1;
  for (let index = 0; index < count; index++) {
    const start = nexts[index] ?? 0;
    if (start < from || start >= cut.end) continue;
    if ((levels[index] ?? 0) >= Level.sentence && cut.end - start >= minSentenceOverlap) return start;
    if (word === -1) word = start;
  }
  if (heading >= from && heading < cut.end && (word === -1 || heading < word)) return heading;
  return word === -1 ? cut.next : word;
}
