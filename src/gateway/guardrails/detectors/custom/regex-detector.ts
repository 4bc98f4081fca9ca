import { defineDetector } from "../define-detector";
import type { Detector } from "../types";
import { DetectorConfigError } from "./detector-config-error";
import { unsafeRegexReason } from "./regex-safety";

/**
 * A detector from a user-supplied regular expression (an org's internal ticket ids, project
 * code names…). Guards, because user patterns run on the request hot path in a backtracking
 * engine:
 *  - the pattern must compile, be at most MAX_PATTERN_LENGTH characters and pass the
 *    nested-quantifier check in regex-safety.ts (refused at creation with DetectorConfigError);
 *  - only flags i, m, s, u are accepted ("g" is implied; "y" would change semantics);
 *  - only the first `maxInputChars` characters of a text are scanned (default 32 768), which
 *    bounds the cost of any polynomial backtracking the static check lets through;
 *  - at most `maxFindings` findings per text (default 1000); empty matches are skipped.
 */

export const MAX_PATTERN_LENGTH = 512;
const ALLOWED_FLAGS = /^[imsu]*$/;

export interface RegexDetectorConfig {
  id: string;
  label: string;
  pattern: string;
  flags?: string;
  /** Default 0.9: a custom pattern is as sure as its author made it. */
  confidence?: number;
  maxInputChars?: number;
  maxFindings?: number;
}

export function createRegexDetector(config: RegexDetectorConfig): Detector {
  const { id, label, pattern } = config;
  const flags = config.flags ?? "";
  if (typeof pattern !== "string" || pattern.length === 0) throw new DetectorConfigError("pattern must be a non-empty string", "pattern");
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new DetectorConfigError(`pattern is longer than ${MAX_PATTERN_LENGTH} characters`, "pattern");
  }
  if (!ALLOWED_FLAGS.test(flags) || new Set(flags).size !== flags.length) {
    throw new DetectorConfigError("flags may only combine i, m, s and u", "flags");
  }
  const unsafe = unsafeRegexReason(pattern);
  if (unsafe) throw new DetectorConfigError(`pattern refused: ${unsafe}`, "pattern");
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, `${flags}g`);
  } catch (error) {
    throw new DetectorConfigError(`pattern does not compile: ${(error as Error).message}`, "pattern");
  }
  const maxInput = config.maxInputChars ?? 32_768;
  const maxFindings = config.maxFindings ?? 1000;
  const confidence = config.confidence ?? 0.9;
  return defineDetector(id, "custom", (text, emit) => {
    const scanned = text.length > maxInput ? text.slice(0, maxInput) : text;
    regex.lastIndex = 0;
    let count = 0;
    for (let m = regex.exec(scanned); m !== null && count < maxFindings; m = regex.exec(scanned)) {
      if (m[0].length === 0) {
        regex.lastIndex = m.index + 1;
        continue;
      }
      emit(label, m.index, m.index + m[0].length, confidence);
      count++;
    }
  });
}
