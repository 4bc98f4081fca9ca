import { checkProviderOptions, optionFieldsFor, PROVIDER_LIMITS } from "../schemas";

/** Pure helpers behind the provider form (kept apart from React so they are easy to test). */

export type TimeoutField = "connectMs" | "firstByteMs" | "idleMs" | "totalMs";
export const TIMEOUT_FIELDS: { key: TimeoutField; label: string }[] = [
  { key: "connectMs", label: "Connect" },
  { key: "firstByteMs", label: "First byte" },
  { key: "idleMs", label: "Idle between chunks" },
  { key: "totalMs", label: "Total" },
];

/** `Name: value` lines → a header map, or the first problem found. */
export function parseHeaderLines(
  text: string,
): { ok: true; headers: Record<string, string> } | { ok: false; error: string } {
  const headers: Record<string, string> = {};
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const colon = line.indexOf(":");
    if (colon <= 0) return { ok: false, error: `Line ${i + 1}: write headers as "Name: value".` };
    const name = line.slice(0, colon).trim();
    headers[name] = line.slice(colon + 1).trim();
  }
  if (Object.keys(headers).length > PROVIDER_LIMITS.headersMax) {
    return { ok: false, error: `At most ${PROVIDER_LIMITS.headersMax} headers.` };
  }
  return { ok: true, headers };
}

export function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
}

/** Timeout inputs (ms, empty = instance default) → overrides, or the first problem found. */
export function parseTimeouts(
  values: Record<TimeoutField, string>,
): { ok: true; timeouts: Partial<Record<TimeoutField, number>> } | { ok: false; error: string } {
  const timeouts: Partial<Record<TimeoutField, number>> = {};
  for (const { key, label } of TIMEOUT_FIELDS) {
    const raw = values[key].trim();
    if (raw === "") continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 100)
      return {
        ok: false,
        error: `${label} timeout: a whole number of milliseconds, at least 100.`,
      };
    timeouts[key] = n;
  }
  return { ok: true, timeouts };
}

/** Merges discovered models into a list: the ones it lacked are appended, order kept. */
export function mergeModels(current: string[], discovered: string[]): string[] {
  const seen = new Set(current);
  return [...current, ...discovered.filter((m) => !seen.has(m))].slice(
    0,
    PROVIDER_LIMITS.modelsMax,
  );
}

/**
 * The form's option inputs → the options of `type` (only the fields that type shows, empty ones
 * left out), or the first problem found. Inputs of another type chosen earlier are ignored.
 */
export function optionsForType(
  type: string,
  values: Readonly<Record<string, string>>,
): { ok: true; options: Record<string, string> } | { ok: false; error: string } {
  const shown: Record<string, string> = {};
  for (const { key } of optionFieldsFor(type)) shown[key] = values[key] ?? "";
  return checkProviderOptions(type, shown);
}

/** Whether two option maps say the same (key order aside). */
export function sameOptions(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
