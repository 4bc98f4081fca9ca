import { parseDocument, stringify } from "yaml";
import { policyDocumentSchema, policySchema, type Policy } from "~/gateway/guardrails/policy/schema";

/**
 * Policies as text, YAML or JSON (JSON is YAML 1.2: one parser reads both): the console's editor
 * holds one policy, `policies apply` (CLI and console) reads a document of several —
 * `policies:` with a list, or a bare list. Shared by the browser and the server, so both report
 * the same problems.
 */

export type PolicyTextResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function readText(text: string): { ok: true; value: unknown } | { ok: false; problems: string[] } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const at = e.linePos?.[0];
        const first = e.message.split("\n", 1)[0] ?? e.message;
        return `${at ? `line ${at.line}:${at.col} ` : ""}${first.replace(/ at line \d+, column \d+:?\s*$/, "")}`;
      }),
    };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (err) {
    return { ok: false, problems: [err instanceof Error ? err.message : String(err)] };
  }
}

function pathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out;
}

function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }): string[] {
  return error.issues.map((i) => (i.path.length > 0 ? `${pathText(i.path)}: ${i.message}` : i.message));
}

/** One policy written as YAML or JSON. */
export function parsePolicyText(text: string): PolicyTextResult<Policy> {
  const read = readText(text);
  if (!read.ok) return read;
  const parsed = policySchema.safeParse(read.value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: issuesOf(parsed.error) };
}

/** A document of policies (`policies:` list or a bare list), ids unique. */
export function parsePoliciesDocument(text: string): PolicyTextResult<Policy[]> {
  const read = readText(text);
  if (!read.ok) return read;
  if (read.value === null || read.value === undefined) return { ok: false, problems: ["the document is empty"] };
  const parsed = policyDocumentSchema.safeParse(read.value);
  return parsed.success ? { ok: true, value: parsed.data.policies } : { ok: false, problems: issuesOf(parsed.error) };
}

/** All problems as one message (CLI, API errors). */
export function policyProblemsMessage(problems: readonly string[]): string {
  const listed = problems.slice(0, 25);
  if (problems.length > 25) listed.push(`… and ${problems.length - 25} more`);
  return `The policies have ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was changed.\n${listed.join("\n")}`;
}

export function policyToYaml(policy: Policy): string {
  return stringify(policy, { lineWidth: 0 });
}

export const SAMPLE_POLICY_YAML = `id: pii-redaction
name: Redact personal data
priority: 10
stage: both
rules:
  - id: contact-details
    detectors: [pii.email, pii.phone]
    action: redact
  - id: no-secrets
    detectors: [secret]
    action: block
`;

export const SAMPLE_POLICIES_YAML = `policies:
  - id: pii-redaction
    name: Redact personal data
    priority: 10
    rules:
      - id: contact-details
        detectors: [pii.email, pii.phone]
        action: redact
  - id: injection-watch
    name: Flag prompt injection
    priority: 20
    rules:
      - id: injection
        detectors: [injection]
        minConfidence: 0.7
        action: flag
`;
