/**
 * JSON text with object keys in sorted order, so two bodies that differ only in key order (or in
 * whitespace) produce the same text and therefore the same cache key. Values follow
 * `JSON.stringify`: `undefined` members are left out, `undefined` in arrays becomes `null`.
 *
 * Hand-rolled rather than `JSON.stringify(value, replacer)`: a replacer that rebuilds every
 * object sorted allocates a copy of the whole body, which costs several times more on the hot
 * path than emitting the text directly.
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0) ?? "null";
}

/** Deeper than this is not a real request (and recursion must not exhaust the stack). */
const MAX_DEPTH = 256;

export class CanonicalJsonDepthError extends Error {
  override name = "CanonicalJsonDepthError";
}

function write(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      // undefined, functions, symbols: absent (bigint cannot come out of JSON.parse).
      return undefined;
  }
  if (value === null) return "null";
  if (depth >= MAX_DEPTH) throw new CanonicalJsonDepthError("value nested too deeply");
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += write(value[i], depth + 1) ?? "null";
    }
    return out + "]";
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Messages and tool schemas have a handful of keys: insertion sort beats Array#sort there.
  if (keys.length > 1) sortStrings(keys);
  let out = "{";
  let first = true;
  for (const key of keys) {
    const text = write(record[key], depth + 1);
    if (text === undefined) continue;
    out += first ? "" : ",";
    out += JSON.stringify(key) + ":" + text;
    first = false;
  }
  return out + "}";
}

function sortStrings(keys: string[]): void {
  if (keys.length > 16) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
}
