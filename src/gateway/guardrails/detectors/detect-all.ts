import { extractChatText, type ChatTextSegment } from "./chat-text";
import type { Detector, Finding } from "./types";

/**
 * Runs detectors over one text and merges their findings, sorted by start (then longest
 * first). Overlaps are resolved by category:
 *  - same category (two readings of the same characters — a card number that also looks like a
 *    phone, a GitHub token also caught by the generic-secret detector): only the higher
 *    confidence finding is kept (ties: the longer span, then the earlier detector);
 *  - different categories (an email inside a connection string, an IP in a URL, a slur inside
 *    an injection phrase): both are kept, and a finding lying entirely inside another gets
 *    `within` = the enclosing finding's detector id, so a redactor can replace the outer span
 *    once instead of twice.
 * Findings below `minConfidence` (default 0: keep all) are dropped before merging.
 */

export interface DetectAllOptions {
  minConfidence?: number;
}

export function detectAll(text: string, detectors: readonly Detector[], options: DetectAllOptions = {}): Finding[] {
  const min = options.minConfidence ?? 0;
  const all: Finding[] = [];
  for (const d of detectors) {
    for (const f of safeDetect(d, text)) if (f.confidence >= min) all.push(f);
  }
  return mergeFindings(all);
}

function safeDetect(detector: Detector, text: string): Finding[] {
  try {
    return detector.detect(text);
  } catch {
    // Built-in detectors cannot throw; a hand-written one must not take the request down.
    return [];
  }
}

export function mergeFindings(findings: readonly Finding[]): Finding[] {
  // Strongest first, so a kept finding is never displaced by a weaker one seen later.
  const ranked = findings
    .map((f, order) => ({ f, order }))
    .sort((a, b) => b.f.confidence - a.f.confidence || b.f.end - b.f.start - (a.f.end - a.f.start) || a.order - b.order);
  // Per category, the kept spans: pairwise disjoint, sorted by start (so also by end).
  const byCategory = new Map<string, Finding[]>();
  const kept: Finding[] = [];
  for (const { f } of ranked) {
    let spans = byCategory.get(f.category);
    if (!spans) byCategory.set(f.category, (spans = []));
    const at = firstStartingAtOrAfter(spans, f.end);
    const previous = spans[at - 1];
    if (previous && previous.end > f.start) continue;
    const copy = { ...f };
    spans.splice(at, 0, copy);
    kept.push(copy);
  }
  kept.sort((a, b) => a.start - b.start || b.end - a.end);
  markNested(kept);
  return kept;
}

/** Index of the first span whose start is ≥ `offset` (binary search). */
function firstStartingAtOrAfter(spans: readonly Finding[], offset: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Sets `within` on findings that lie inside a longer finding of another category. Sweeping in
 * start order, the finding reaching furthest so far in each category is the only candidate
 * container for that category.
 */
function markNested(sorted: Finding[]): void {
  const reach = new Map<string, Finding>();
  for (const f of sorted) {
    for (const [category, outer] of reach) {
      if (category === f.category) continue;
      if (outer.end >= f.end && outer.end - outer.start > f.end - f.start) {
        f.within = outer.detector;
        break;
      }
    }
    const best = reach.get(f.category);
    if (!best || f.end > best.end) reach.set(f.category, f);
  }
}

export interface ChatFinding extends Finding {
  /** Index into `segments`. */
  segment: number;
}

export interface ChatScan {
  segments: ChatTextSegment[];
  /** Offsets are into `segments[segment].text`. Sorted by segment, then start. */
  findings: ChatFinding[];
}

/** Extracts every scannable text of a chat request and runs `detectAll` on each. */
export function scanChatRequest(body: unknown, detectors: readonly Detector[], options: DetectAllOptions = {}): ChatScan {
  const segments = extractChatText(body);
  const findings: ChatFinding[] = [];
  segments.forEach((s, segment) => {
    for (const f of detectAll(s.text, detectors, options)) findings.push({ ...f, segment });
  });
  return { segments, findings };
}
