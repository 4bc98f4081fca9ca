import { defineDetector } from "../define-detector";
import { charClassCount, looksLikePlaceholder, shannonEntropy } from "../text/entropy";

/**
 * Secrets without a known shape, recognised by what they are assigned to: a naming word
 * ("api_key", "token", "secret", "password", "client_secret") followed by ":", "=", "=>", "is"
 * and a value. Tokens must look random (length ≥ 16, entropy ≥ 3.5 bits/char, letters and
 * digits); passwords need length ≥ 8 and two character classes. Confidence is lower than the
 * provider detectors' (0.6–0.75): the naming word is the only evidence.
 */

const NAME =
  /(?:api[_-]?key|apikey|access[_-]?key|secret[_-]?key|(?:encryption|signing|master)[_-]?key|client[_-]?secret|auth[_-]?token|access[_-]?token|refresh[_-]?token|bearer|token|secret|passwd|password|passphrase|pwd|credentials?|private[_-]?key)/gi;
/** Up to a closing quote and an assignment, then an optional opening quote: `"token": "`, `key = '`. */
const ASSIGN = /["']?\]?\s{0,3}(?:[:=]|=>|:=|\bis\b|\bwas\b)\s{0,3}["'`]?/y;
const VALUE = /[A-Za-z0-9_\-+/=.~!@#$%^&*]{6,256}/y;
const PASSWORD_NAME = /^(?:passwd|password|passphrase|pwd)$/i;
const BEARER_NAME = /^bearer$/i;
const BEARER_GAP = /\s{1,3}/y;

export const genericSecretDetector = defineDetector("secret.generic", "secret", (text, emit) => {
  NAME.lastIndex = 0;
  for (let m = NAME.exec(text); m !== null; m = NAME.exec(text)) {
    const nameEnd = m.index + m[0].length;
    // "tokens", "secretary", "passwords-policy": the name must end a word (snake/kebab suffixes ok).
    if (/[a-z0-9]/i.test(text[nameEnd] ?? "") && !/[_-]/.test(text[nameEnd] ?? "")) continue;
    const gap = BEARER_NAME.test(m[0]) ? BEARER_GAP : ASSIGN;
    gap.lastIndex = skipNameSuffix(text, nameEnd);
    if (!gap.exec(text)) continue;
    VALUE.lastIndex = gap.lastIndex;
    const v = VALUE.exec(text);
    if (!v) continue;
    const value = trimValue(v[0]);
    const start = v.index;
    // "password = getpass.getpass()", "key = os.environ[…]": code computing the value.
    const next = text[start + v[0].length];
    if (next === "(" || next === "[") continue;
    const confidence = judge(value, PASSWORD_NAME.test(m[0]));
    if (confidence > 0) emit("SECRET", start, start + value.length, confidence);
    NAME.lastIndex = Math.max(NAME.lastIndex, start + value.length);
  }
});

/** "api_key_prod", "SECRET_KEY_BASE": let the name carry a short identifier suffix. */
function skipNameSuffix(text: string, from: number): number {
  let i = from;
  while (i < text.length && i - from < 24 && /[A-Za-z0-9_-]/.test(text[i]!)) i++;
  return i;
}

/** Sentence punctuation after an unquoted value is not part of it. */
function trimValue(v: string): string {
  let end = v.length;
  while (end > 0 && ".,!".includes(v[end - 1]!)) end--;
  return v.slice(0, end);
}

function judge(value: string, isPassword: boolean): number {
  if (looksLikePlaceholder(value) || /^(?:true|false|null|none|undefined|required|optional|string)$/i.test(value)) return 0;
  // File paths and URLs name where a secret lives, not the secret.
  if (/^(?:[/~]|\.{1,2}\/|[a-z]+:\/\/)/i.test(value)) return 0;
  const classes = charClassCount(value);
  if (isPassword) return value.length >= 8 && classes >= 2 && shannonEntropy(value) >= 2.5 ? 0.65 : 0;
  if (value.length < 16 || classes < 2 || !/\d/.test(value) || !/[A-Za-z]/.test(value)) return 0;
  const entropy = shannonEntropy(value);
  if (entropy < 3.5) return 0;
  return entropy >= 4.2 ? 0.75 : 0.6;
}
