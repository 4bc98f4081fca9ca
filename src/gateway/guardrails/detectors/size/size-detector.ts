import { extractChatText, countMessages } from "../chat-text";
import { clamp01 } from "../define-detector";
import type { Detector, Finding } from "../types";
import { DetectorConfigError } from "../custom/detector-config-error";

/**
 * Size limits. On a single text, `detect` reports the part beyond `maxChars`
 * (span maxChars..length, so a redactor can truncate exactly there). On a whole chat request,
 * `detectRequest` counts messages and the characters of every scannable segment (see
 * chat-text.ts); request-level findings have no span (start = end = 0). `score` is the share
 * over the limit: 1 − limit / actual.
 */

export interface SizeDetectorConfig {
  id?: string;
  maxChars?: number;
  maxMessages?: number;
}

export interface SizeDetector extends Detector {
  detectRequest(body: unknown): Finding[];
}

export function createSizeDetector(config: SizeDetectorConfig): SizeDetector {
  const { maxChars, maxMessages } = config;
  const id = config.id ?? "size.limit";
  for (const [field, value] of [["maxChars", maxChars], ["maxMessages", maxMessages]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
      throw new DetectorConfigError(`${field} must be a positive integer`, field);
    }
  }
  if (maxChars === undefined && maxMessages === undefined) {
    throw new DetectorConfigError("set maxChars, maxMessages or both", "maxChars");
  }
  const finding = (label: string, start: number, end: number, actual: number, limit: number): Finding => ({
    detector: id,
    category: "size",
    label,
    start,
    end,
    confidence: 1,
    score: clamp01(1 - limit / actual),
  });
  return {
    id,
    category: "size",
    detect(text: string): Finding[] {
      if (typeof text !== "string" || maxChars === undefined || text.length <= maxChars) return [];
      return [finding("MAX_CHARS_EXCEEDED", maxChars, text.length, text.length, maxChars)];
    },
    detectRequest(body: unknown): Finding[] {
      const out: Finding[] = [];
      const messages = countMessages(body);
      if (maxMessages !== undefined && messages > maxMessages) {
        out.push(finding("MAX_MESSAGES_EXCEEDED", 0, 0, messages, maxMessages));
      }
      if (maxChars !== undefined) {
        let chars = 0;
        for (const s of extractChatText(body)) chars += s.text.length;
        if (chars > maxChars) out.push(finding("MAX_CHARS_EXCEEDED", 0, 0, chars, maxChars));
      }
      return out;
    },
  };
}
