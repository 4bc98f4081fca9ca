import { describe, expect, it } from "vitest";
import {
  advancedFields,
  definitionFromForm,
  formFromDefinition,
} from "~/features/routes/components/route-form-values";
import {
  parseRouteText,
  parseRoutesDocument,
  readDocumentValue,
  routeToYaml,
} from "~/features/routes/route-document";
import { checkRouteDefinition, problemsByField } from "~/features/routes/route-validation";

/* The console editor's two modes and the document parser (pure code shared by browser and server). */

const full = {
  name: "smart",
  description: "fast first",
  strategy: "weighted",
  targets: [
    { model: "openai/gpt-4o-mini", weight: 3, params: { temperature: 0 } },
    { model: "mock/mock-gpt", when: { maxPromptTokens: 1000 } },
  ],
  retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
  hedgeAfterMs: 1500,
};

describe("route editor: form ⇄ text", () => {
  it("form and text carry every field, including those only the text mode edits", () => {
    const form = formFromDefinition(full);
    expect(form.targets.map((t) => [t.model, t.weight])).toEqual([
      ["openai/gpt-4o-mini", "3"],
      ["mock/mock-gpt", ""],
    ]);
    expect(advancedFields(form)).toEqual(["retry", "hedgeAfterMs", "per-target settings"]);
    // Form → definition → YAML → parsed: the same route.
    const definition = definitionFromForm(form);
    expect(definition).toEqual(full);
    const parsed = parseRouteText(routeToYaml(definition));
    const direct = checkRouteDefinition(full);
    expect(direct.ok).toBe(true);
    expect(parsed).toEqual({ ok: true, route: direct.ok ? direct.route : null });
  });

  it("field problems are keyed by path; typed text that is not a number stays for the schema to refuse", () => {
    const form = formFromDefinition({
      name: "bad/name",
      strategy: "weighted",
      targets: [{ model: "" }],
    });
    form.targets[0]!.weight = "lots";
    const checked = checkRouteDefinition(definitionFromForm(form));
    expect(checked.ok).toBe(false);
    const fields = problemsByField(checked.ok ? [] : checked.problems);
    expect(Object.keys(fields).sort()).toEqual(["name", "targets.0.model", "targets.0.weight"]);
    expect(fields["targets.0.weight"]).toMatch(/expected number/);
  });

  it("text mode reports the line of each problem, and unreadable text as such", () => {
    const text = "name: smart\nstrategy: fallback\ntargets:\n  - model: m\n    weight: -2\n";
    const parsed = parseRouteText(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems).toEqual([
        expect.objectContaining({ line: 5, path: "targets[0].weight" }),
      ]);
    }
    // A missing field points at the mapping that lacks it.
    const missing = parseRouteText("name: smart\n");
    expect(missing.ok ? [] : missing.problems).toEqual([
      expect.objectContaining({ line: 1, path: "targets", message: "Required (expected array)" }),
    ]);
    const broken = readDocumentValue("name: [unclosed\n");
    expect(broken.ok).toBe(false);
    expect(parseRouteText("- just\n- a list\n").ok).toBe(false);
  });
});

describe("routes documents", () => {
  it("accepts `routes:` lists, bare lists (JSON too) and a single route", () => {
    const route = { name: "a", targets: [{ model: "m" }] };
    for (const text of [
      "routes:\n  - name: a\n    targets: [{ model: m }]\n",
      JSON.stringify([route]),
      JSON.stringify({ routes: [route] }),
      "name: a\ntargets:\n  - model: m\n",
    ]) {
      const parsed = parseRoutesDocument(text);
      expect(parsed.ok ? parsed.routes.map((r) => r.name) : parsed.problems).toEqual(["a"]);
    }
  });

  it("refuses unknown top-level fields, empty documents and empty lists", () => {
    const extra = parseRoutesDocument("routes: []\nproviders: []\n");
    expect(extra.ok ? [] : extra.problems.map((p) => p.message)).toEqual([
      'Unknown top-level field "providers" (only "routes")',
      "The list of routes is empty",
    ]);
    const empty = parseRoutesDocument("# nothing yet\n");
    expect(empty.ok ? [] : empty.problems[0]!.message).toMatch(/The document is empty/);
  });
});
