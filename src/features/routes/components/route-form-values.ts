import type { RouteStrategy } from "~/gateway/routing/route-schema";

/**
 * The route editor's form state and its mapping to a route definition as written. The form edits
 * what most routes need (name, description, strategy, targets with weights); everything else a
 * route may have (retry, breaker, hedging, cascade checks, per-target params, timeouts and
 * conditions) rides along untouched in `extra`, so switching between the form and the text mode
 * never loses anything.
 */

export interface TargetRow {
  model: string;
  /** As typed: "" = none (weight 1); anything else goes to the schema to judge. */
  weight: string;
  /** The target's other fields (params, timeouts, when). */
  extra: Record<string, unknown>;
}

export interface RouteFormState {
  name: string;
  description: string;
  strategy: RouteStrategy | string;
  targets: TargetRow[];
  /** The route's other fields (retry, breaker, hedgeAfterMs, cascade, …). */
  extra: Record<string, unknown>;
}

export const STRATEGY_HINTS: Record<RouteStrategy, string> = {
  fallback: "Targets in order: the next one only when the one before fails.",
  weighted: "Traffic split by weight (e.g. 3:1), falling back to the others on failure.",
  "least-latency": "The target that has been answering fastest lately first.",
  "lowest-cost": "The cheapest target (by its model price) first.",
  cascade: "The cheapest first; escalates when the answer looks weak (empty, refusal, bad JSON).",
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const text = (v: unknown): string =>
  typeof v === "string" ? v : v === undefined || v === null ? "" : String(v);

export function emptyTarget(): TargetRow {
  return { model: "", weight: "", extra: {} };
}

export function emptyForm(): RouteFormState {
  return { name: "", description: "", strategy: "fallback", targets: [emptyTarget()], extra: {} };
}

/** A definition (validated or as written) → the form; unknown shapes start from what fits. */
export function formFromDefinition(value: unknown): RouteFormState {
  if (!isRecord(value)) return emptyForm();
  const { name, description, strategy, targets, ...extra } = value;
  const rows = Array.isArray(targets)
    ? targets.map((t): TargetRow => {
        if (!isRecord(t)) return { model: text(t), weight: "", extra: {} };
        const { model, weight, ...rest } = t;
        return { model: text(model), weight: text(weight), extra: rest };
      })
    : [];
  return {
    name: text(name),
    description: text(description),
    strategy: typeof strategy === "string" ? strategy : "fallback",
    targets: rows.length > 0 ? rows : [emptyTarget()],
    extra,
  };
}

/** A weight as typed: a number when it reads as one, else the text (for the schema to refuse). */
function weightValue(raw: string): number | string | undefined {
  const trimmed = raw.trim();
  if (trimmed === "") return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

/** The form → a definition as written (validated by the caller with the shared schema). */
export function definitionFromForm(form: RouteFormState): Record<string, unknown> {
  const out: Record<string, unknown> = { name: form.name.trim() };
  if (form.description.trim() !== "") out.description = form.description.trim();
  out.strategy = form.strategy;
  out.targets = form.targets.map((row) => {
    const target: Record<string, unknown> = { model: row.model.trim() };
    // Weights only mean something to weighted routes; others keep what they had.
    const weight = weightValue(row.weight);
    if (weight !== undefined) target.weight = weight;
    return { ...target, ...row.extra };
  });
  return { ...out, ...form.extra };
}

/** Names of the fields only the text mode edits, for the form's "also set" note. */
export function advancedFields(form: RouteFormState): string[] {
  const fields = Object.keys(form.extra);
  if (form.targets.some((t) => Object.keys(t.extra).length > 0)) fields.push("per-target settings");
  return fields;
}
