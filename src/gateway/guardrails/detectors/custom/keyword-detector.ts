import { defineDetector } from "../define-detector";
import { isWordCode } from "../text/chars";
import type { Detector } from "../types";
import { AhoCorasick } from "./aho-corasick";
import { DetectorConfigError } from "./detector-config-error";

/**
 * A detector for a list of keywords or phrases (competitor names, project code names, banned
 * terms), matched in one Aho–Corasick pass whatever the list size. Case-insensitive by default;
 * `wholeWord` (default true) requires non-word characters (any script) around each match so
 * "art" does not fire inside "start". Overlapping matches keep the earliest, longest one.
 * At most `maxFindings` (default 1000) findings per text.
 */

export const MAX_KEYWORDS = 10_000;
export const MAX_KEYWORD_LENGTH = 256;
/** Raw automaton matches kept per text before overlap resolution (nested keywords multiply them). */
const MAX_RAW_MATCHES = 20_000;

export interface KeywordDetectorConfig {
  id: string;
  label: string;
  keywords: readonly string[];
  caseSensitive?: boolean;
  wholeWord?: boolean;
  confidence?: number;
  maxFindings?: number;
}

const foldCache = new Map<number, number>();

/** Lower-cases one UTF-16 code unit, keeping it one unit long (offsets must not shift). */
function foldCase(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  const cached = foldCache.get(c);
  if (cached !== undefined) return cached;
  const lower = String.fromCharCode(c).toLowerCase();
  const folded = lower.length === 1 ? lower.charCodeAt(0) : c;
  if (foldCache.size < 65_536) foldCache.set(c, folded);
  return folded;
}

const identity = (c: number) => c;

export function createKeywordDetector(config: KeywordDetectorConfig): Detector {
  const { id, label } = config;
  const keywords = [...new Set(config.keywords)];
  if (keywords.length === 0) throw new DetectorConfigError("keywords must not be empty", "keywords");
  if (keywords.length > MAX_KEYWORDS) throw new DetectorConfigError(`at most ${MAX_KEYWORDS} keywords`, "keywords");
  for (const k of keywords) {
    if (typeof k !== "string" || k.trim().length === 0) throw new DetectorConfigError("keywords must be non-empty strings", "keywords");
    if (k.length > MAX_KEYWORD_LENGTH) throw new DetectorConfigError(`keywords are at most ${MAX_KEYWORD_LENGTH} characters`, "keywords");
  }
  const wholeWord = config.wholeWord ?? true;
  const automaton = new AhoCorasick(keywords, config.caseSensitive ? identity : foldCase);
  const confidence = config.confidence ?? 0.9;
  const maxFindings = config.maxFindings ?? 1000;
  return defineDetector(id, "custom", (text, emit) => {
    const matches: { start: number; end: number }[] = [];
    automaton.search(text, ({ start, end }) => {
      if (!wholeWord || boundedWord(text, start, end)) matches.push({ start, end });
      return matches.length < MAX_RAW_MATCHES;
    });
    // Leftmost-longest: sort by start, longer first, then keep matches that do not overlap.
    matches.sort((a, b) => a.start - b.start || b.end - a.end);
    let lastEnd = 0;
    let count = 0;
    for (const m of matches) {
      if (m.start < lastEnd) continue;
      emit(label, m.start, m.end, confidence);
      lastEnd = m.end;
      if (++count >= maxFindings) break;
    }
  });
}

/** The keyword's own edge characters may be punctuation ("C++", ".NET"); only word edges need a boundary. */
function boundedWord(text: string, start: number, end: number): boolean {
  const startsWord = isWordCode(text.charCodeAt(start));
  const endsWord = isWordCode(text.charCodeAt(end - 1));
  if (startsWord && isWordCode(text.charCodeAt(start - 1))) return false;
  return !(endsWord && isWordCode(text.charCodeAt(end)));
}
