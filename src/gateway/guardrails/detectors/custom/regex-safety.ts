/**
 * A conservative static check for regexes that can backtrack exponentially. JavaScript's
 * engine backtracks, so a user pattern like `(a+)+$` can pin a CPU for minutes on a 30-char
 * input. We refuse the shapes that cause it:
 *  - a quantified group that itself contains a quantifier ("(a+)+", "(\w*\s?)*", "(?:x{1,9}){2,}")
 *  - a quantified group with alternatives ("(a|ab)*"), which overlap as easily
 *  - backreferences (matching with them is NP-hard in general)
 * Patterns that pass can still be slow (polynomial backtracking such as `\s*\s*$`), which is
 * why custom detectors also cap the input length they scan.
 */

export function unsafeRegexReason(source: string): string | null {
  // Stack of open groups: whether each contains a quantifier or an alternation.
  const stack: { quantified: boolean; alternation: boolean }[] = [];
  let lastClosed: { quantified: boolean; alternation: boolean } | null = null;
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "\\") {
      const next = source[i + 1] ?? "";
      if (/[1-9]/.test(next) || (next === "k" && source[i + 2] === "<")) return "backreferences are not allowed";
      lastClosed = null;
      i += 2;
      continue;
    }
    if (ch === "[") {
      i = skipClass(source, i);
      lastClosed = null;
      continue;
    }
    if (ch === "(") {
      stack.push({ quantified: false, alternation: false });
      lastClosed = null;
      i++;
      continue;
    }
    if (ch === ")") {
      lastClosed = stack.pop() ?? null;
      i++;
      // A quantifier right after a group: the group must be simple.
      if (lastClosed && isQuantifierAt(source, i)) {
        if (lastClosed.quantified) return "nested quantifiers (e.g. (a+)+) can backtrack exponentially";
        if (lastClosed.alternation) return "a repeated group with alternatives (e.g. (a|ab)*) can backtrack exponentially";
      }
      if (lastClosed && stack.length > 0) {
        const parent = stack[stack.length - 1]!;
        parent.quantified ||= lastClosed.quantified || isQuantifierAt(source, i);
        parent.alternation ||= lastClosed.alternation;
      }
      continue;
    }
    if (ch === "|" && stack.length > 0) stack[stack.length - 1]!.alternation = true;
    if (isQuantifierAt(source, i) && stack.length > 0) stack[stack.length - 1]!.quantified = true;
    lastClosed = null;
    i++;
  }
  return null;
}

/** "*", "+", "{n,}" or "{n,m}" with m > 1 at `i` ("?" and "{1}" repeat nothing). */
function isQuantifierAt(source: string, i: number): boolean {
  const ch = source[i];
  if (ch === "*" || ch === "+") return true;
  if (ch !== "{") return false;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!m) return false;
  if (m[2] === undefined) return Number(m[1]) > 1;
  return m[3] === "" || Number(m[3]) > 1;
}

function skipClass(source: string, i: number): number {
  let j = i + 1;
  if (source[j] === "^") j++;
  if (source[j] === "]") j++;
  while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
  return j + 1;
}
