import {
  DEFAULT_MIN_CONFIDENCE,
  detectAll,
  SECRET_DETECTORS,
} from "~/gateway/guardrails/detectors";

/**
 * Secrets never reach the request log: credentials that clients paste into prompts, that models
 * echo back or that upstream errors quote are replaced by `[REDACTED:<LABEL>]` before a row is
 * written. Runs in the log writer's batch (off the request path): the guardrail secret detectors
 * (provider keys, private keys, JWTs, connection strings, `password=…`-style assignments) plus
 * the shapes only Switchyard knows about (its own `sy-` keys) and bearer tokens.
 */

/** Shapes checked after the detectors: ones they do not claim (sy- keys, low-entropy sk- keys, bare bearer tokens). */
const KNOWN =
  /\b(sy-[A-Za-z0-9_-]{20,})|\b(sk-[A-Za-z0-9_-]{20,})|\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{8,})/g;

function replaceKnown(text: string): string {
  return text.replace(
    KNOWN,
    (_m, sy?: string, sk?: string, scheme?: string) =>
      sy
        ? "[REDACTED:SWITCHYARD_API_KEY]"
        : sk
          ? "[REDACTED:API_KEY]"
          : `${scheme} [REDACTED:${scheme!.toUpperCase()}_CREDENTIALS]`,
  );
}

/** Every detected secret in `text` replaced by `[REDACTED:<LABEL>]`. */
export function redactSecrets(text: string): string {
  if (text.length === 0) return text;
  const findings = detectAll(text, SECRET_DETECTORS, { minConfidence: DEFAULT_MIN_CONFIDENCE });
  let out = "";
  let at = 0;
  for (const f of findings) {
    // Findings of one category are disjoint; skip any that overlaps what was already replaced.
    if (f.start < at) continue;
    out += text.slice(at, f.start) + `[REDACTED:${f.label}]`;
    at = f.end;
  }
  // What the detectors left: Switchyard keys, low-entropy `sk-` keys, bearer/basic credentials.
  return replaceKnown(findings.length === 0 ? text : out + text.slice(at));
}

/** Metadata values (client-supplied header text) redacted the same way; the record kept when clean. */
export function redactMetadata(
  metadata: Record<string, string> | null,
): Record<string, string> | null {
  if (!metadata) return null;
  let changed = false;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) {
    const clean = redactSecrets(v);
    if (clean !== v) changed = true;
    out[k] = clean;
  }
  return changed ? out : metadata;
}
