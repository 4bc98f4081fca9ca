/**
 * Reversible redaction: a value found in a request is replaced by a placeholder (`[EMAIL_1]`)
 * before the provider sees it, and placeholders in the answer are replaced by the values again
 * before the client sees it. The same value gets the same placeholder within a request, so the
 * model can refer to it consistently. `mask` replaces with `[EMAIL]`, which is never restored.
 */

/** Longest placeholder the restorer looks for: `[` + label (≤ 40) + `_` + number + `]`. */
export const MAX_PLACEHOLDER_CHARS = 56;

const PLACEHOLDER = /\[[A-Z][A-Z0-9_]{0,39}_\d{1,6}\]/g;

export const maskText = (label: string): string => `[${label}]`;

/** Hands out placeholders for one request and remembers what each stands for. */
export class PlaceholderBook {
  private readonly byValue = new Map<string, string>();
  private readonly counters = new Map<string, number>();
  readonly values = new Map<string, string>();

  /** `avoid`: text whose existing `[LABEL_n]` strings must not be reused (the client's own). */
  constructor(private readonly avoid: string) {}

  placeholderFor(label: string, value: string): string {
    const known = this.byValue.get(`${label}\u0000${value}`);
    if (known !== undefined) return known;
    let n = this.counters.get(label) ?? 0;
    let placeholder: string;
    do {
      n += 1;
      placeholder = `[${label}_${n}]`;
    } while (this.avoid.includes(placeholder));
    this.counters.set(label, n);
    this.byValue.set(`${label}\u0000${value}`, placeholder);
    this.values.set(placeholder, value);
    return placeholder;
  }

  get size(): number {
    return this.values.size;
  }
}

/** Puts the values back into text from the provider. */
export class Restorer {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  restore(text: string): string {
    if (!text.includes("[")) return text;
    return text.replace(PLACEHOLDER, (m) => this.values.get(m) ?? m);
  }
}

/**
 * Where an unfinished placeholder may start at the end of `text` (an `[` with no `]` after it,
 * close enough to the end to still become one), or -1. A streamed answer holds text back from
 * there until the next chunk decides it.
 */
export function openPlaceholderAt(text: string): number {
  const at = text.lastIndexOf("[");
  if (at < 0 || text.length - at > MAX_PLACEHOLDER_CHARS) return -1;
  if (text.indexOf("]", at) >= 0) return -1;
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
    if (!ok) return -1;
  }
  return at;
}

/**
 * Replaces sensitive values in text bound for the request log (a captured stream, an answer that
 * echoes the prompt) with their placeholder or mask, as the values and as JSON-escaped strings.
 */
export class Scrubber {
  private readonly pairs: [string, string][];

  constructor(replacements: ReadonlyMap<string, string>) {
    const pairs: [string, string][] = [];
    for (const [value, replacement] of replacements) {
      if (value.length === 0) continue;
      pairs.push([value, replacement]);
      const escaped = JSON.stringify(value).slice(1, -1);
      if (escaped !== value) pairs.push([escaped, replacement]);
    }
    this.pairs = pairs.sort((a, b) => b[0].length - a[0].length);
  }

  scrub(text: string): string {
    let out = text;
    for (const [value, replacement] of this.pairs) {
      if (out.includes(value)) out = out.split(value).join(replacement);
    }
    return out;
  }
}
