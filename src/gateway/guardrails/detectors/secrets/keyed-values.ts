import type { Emit } from "../define-detector";
import { charClassCount, looksLikePlaceholder, shannonEntropy } from "../text/entropy";

/**
 * Secrets with no prefix of their own (an AWS secret access key is 40 base64 characters, a
 * Twilio auth token 32 hex digits) are only recognisable by what they are assigned to. We look
 * for the naming word first, then for a value of the right shape just after it.
 */

export interface KeyedValue {
  label: string;
  /** Global, case-insensitive: the naming word ("aws_secret_access_key"). */
  name: RegExp;
  /** Sticky: the value's exact shape, tried at each position in the lookahead. */
  value: RegExp;
  confidence: number;
  minEntropy: number;
  /** How far after the name the value may start. */
  reach: number;
}

export function scanKeyedValues(text: string, emit: Emit, spec: KeyedValue): void {
  spec.name.lastIndex = 0;
  let resumeAt = 0;
  for (let m = spec.name.exec(text); m !== null; m = spec.name.exec(text)) {
    const from = Math.max(resumeAt, m.index + m[0].length);
    const limit = Math.min(text.length, from + spec.reach);
    for (let i = from; i < limit; i++) {
      if (isValueCode(text.charCodeAt(i - 1))) continue;
      spec.value.lastIndex = i;
      const v = spec.value.exec(text);
      if (!v) continue;
      const end = i + v[0].length;
      if (isValueCode(text.charCodeAt(end))) continue;
      if (looksLikePlaceholder(v[0]) || shannonEntropy(v[0]) < spec.minEntropy || charClassCount(v[0]) < 2) continue;
      emit(spec.label, i, end, spec.confidence);
      resumeAt = end;
      break;
    }
  }
}

function isValueCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47;
}
