"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { cx } from "~/components/class-names";
import { Dialog } from "~/components/dialog";
import { CheckIcon, PlusIcon, XIcon } from "~/components/icons";
import { Field, Input, Textarea } from "~/components/input";
import { Select } from "~/components/select";
import { ROUTE_STRATEGIES, type RouteStrategy } from "~/gateway/routing/route-schema";
import { errorCode, errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import {
  formatDocumentProblem,
  parseRouteText,
  readDocumentValue,
  routeToYaml,
} from "../route-document";
import { checkRouteDefinition, problemsByField, type RouteProblem } from "../route-validation";
import type { RouteView } from "../server/route-view";
import {
  advancedFields,
  definitionFromForm,
  emptyTarget,
  formFromDefinition,
  STRATEGY_HINTS,
  type RouteFormState,
  type TargetRow,
} from "./route-form-values";

const FORM_ID = "route-form";

type Mode = "form" | "text";

export interface SavedRoute {
  name: string;
  warnings: string[];
}

function useSaveMutations(orgSlug: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.routes.list.queryKey({ orgSlug }) }),
      queryClient.invalidateQueries({ queryKey: trpc.routes.breakers.queryKey({ orgSlug }) }),
    ]);
  return {
    create: useMutation(trpc.routes.create.mutationOptions({ onSuccess: refresh })),
    update: useMutation(trpc.routes.update.mutationOptions({ onSuccess: refresh })),
  };
}
type SaveMutations = ReturnType<typeof useSaveMutations>;

/**
 * Add or edit an org route, in a form (name, strategy, targets with weights) or as YAML/JSON (the
 * whole route). Both are checked as you type with the same schema the server, the config file and
 * the CLI use; problems show next to their field (form) or with their line (text).
 */
export function RouteEditorDialog({
  orgSlug,
  open,
  editing,
  models,
  onClose,
  onSaved,
}: {
  orgSlug: string;
  open: boolean;
  /** null = a new route. */
  editing: RouteView | null;
  /** Model ids the org can reach (target suggestions). */
  models: string[];
  onClose: () => void;
  onSaved: (saved: SavedRoute) => void;
}) {
  const mutations = useSaveMutations(orgSlug);
  const save = editing ? mutations.update : mutations.create;
  const close = () => {
    mutations.create.reset();
    mutations.update.reset();
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      size="lg"
      title={editing ? `Edit route ${editing.name}` : "New route"}
      description="A name your apps call as the model, served by one or more targets."
      testId="route-editor"
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" form={FORM_ID} loading={save.isPending}>
            {editing ? "Save changes" : "Create route"}
          </Button>
        </>
      }
    >
      <RouteEditorForm
        key={editing ? `${editing.id}@${editing.version}` : "new"}
        orgSlug={orgSlug}
        editing={editing}
        models={models}
        mutations={mutations}
        onSaved={(saved) => {
          onSaved(saved);
          close();
        }}
      />
    </Dialog>
  );
}

function ModeSwitch({ mode, onChange }: { mode: Mode; onChange: (mode: Mode) => void }) {
  const options: { value: Mode; label: string }[] = [
    { value: "form", label: "Form" },
    { value: "text", label: "YAML / JSON" },
  ];
  return (
    <div
      role="group"
      aria-label="Editor mode"
      className="inline-flex rounded-md border border-zinc-300 bg-zinc-50 p-0.5"
    >
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={mode === o.value}
          onClick={() => onChange(o.value)}
          className={cx(
            "rounded px-3 py-1 text-sm font-medium transition-colors",
            mode === o.value
              ? "bg-white text-zinc-900 shadow-sm"
              : "text-zinc-600 hover:text-zinc-900",
          )}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

function RouteEditorForm({
  orgSlug,
  editing,
  models,
  mutations,
  onSaved,
}: {
  orgSlug: string;
  editing: RouteView | null;
  models: string[];
  mutations: SaveMutations;
  onSaved: (saved: SavedRoute) => void;
}) {
  const [mode, setMode] = useState<Mode>("form");
  const [form, setForm] = useState<RouteFormState>(() => formFromDefinition(editing?.definition));
  const [text, setText] = useState("");
  const [switchError, setSwitchError] = useState<string | null>(null);
  // Form errors show once a save was attempted (a blank new form is not "wrong" yet).
  const [attempted, setAttempted] = useState(false);
  const save = editing ? mutations.update : mutations.create;

  const formCheck = mode === "form" ? checkRouteDefinition(definitionFromForm(form)) : null;
  const textCheck = mode === "text" ? parseRouteText(text) : null;
  const local: Record<string, string> =
    attempted && formCheck && !formCheck.ok ? problemsByField(formCheck.problems) : {};
  const server = fieldErrors(save.error);
  const errorFor = (path: string) => local[path] ?? server[path];

  function switchMode(next: Mode) {
    setSwitchError(null);
    if (next === mode) return;
    if (next === "text") {
      setText(routeToYaml(definitionFromForm(form)));
    } else {
      // A route that does not validate yet still moves over, as long as the text is readable.
      const read = readDocumentValue(text);
      if (!read.ok) {
        setSwitchError(
          `Fix the text first: ${read.problems.map(formatDocumentProblem).join("; ")}`,
        );
        return;
      }
      setForm(formFromDefinition(read.value));
    }
    setMode(next);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAttempted(true);
    const check = mode === "form" ? formCheck : textCheck;
    const definition = check?.ok ? check.route : null;
    if (definition === null) return;
    try {
      const result = editing
        ? await mutations.update.mutateAsync({
            orgSlug,
            id: editing.id,
            version: editing.version,
            definition,
          })
        : await mutations.create.mutateAsync({ orgSlug, definition });
      onSaved({ name: result.route.name, warnings: result.warnings });
    } catch {
      // Shown from save.error.
    }
  }

  const knownFields = new Set(["name", "description", "strategy", "targets"]);
  const serverGeneral =
    save.error && !Object.keys(server).some((k) => knownFields.has(k.split(".")[0]!))
      ? errorMessage(save.error)
      : null;
  // Problems of fields the form does not show (retry, breaker, …): listed at the top.
  const otherProblems =
    attempted && formCheck && !formCheck.ok
      ? formCheck.problems.filter((p) => !knownFields.has(p.path.split(".")[0]!))
      : [];

  return (
    <form id={FORM_ID} onSubmit={onSubmit} className="space-y-5" noValidate>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <ModeSwitch mode={mode} onChange={switchMode} />
        {editing ? (
          <span className="text-xs text-zinc-500">
            Version {editing.version} · saving makes version {editing.version + 1}
          </span>
        ) : null}
      </div>
      {switchError ? <Alert tone="danger">{switchError}</Alert> : null}
      {serverGeneral ? (
        <Alert tone="danger" title={errorCode(save.error) === "CONFLICT" ? "Not saved" : undefined}>
          {serverGeneral}
        </Alert>
      ) : null}
      {otherProblems.length > 0 ? <ProblemList problems={otherProblems} /> : null}
      {mode === "form" ? (
        <RouteFormFields form={form} onChange={setForm} errorFor={errorFor} models={models} />
      ) : (
        <RouteTextField value={text} onChange={setText} check={textCheck!} />
      )}
    </form>
  );
}

function ProblemList({ problems }: { problems: RouteProblem[] }) {
  return (
    <Alert tone="danger" title="Fix these in YAML / JSON mode">
      <ul className="list-disc pl-4">
        {problems.map((p) => (
          <li key={`${p.path}:${p.message}`}>
            <code className="font-mono">{p.path || "route"}</code>: {p.message}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

function RouteFormFields({
  form,
  onChange,
  errorFor,
  models,
}: {
  form: RouteFormState;
  onChange: (form: RouteFormState) => void;
  errorFor: (path: string) => string | undefined;
  models: string[];
}) {
  const listId = useId();
  const targetsLabelId = useId();
  const set = (patch: Partial<RouteFormState>) => onChange({ ...form, ...patch });
  const setTarget = (index: number, patch: Partial<TargetRow>) =>
    set({ targets: form.targets.map((t, i) => (i === index ? { ...t, ...patch } : t)) });
  const weighted = form.strategy === "weighted";
  const advanced = advancedFields(form);
  const strategyHint = STRATEGY_HINTS[form.strategy as RouteStrategy];

  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Name"
          hint={
            <>
              Apps send it as <code className="font-mono">model</code>. Letters, digits,{" "}
              <code className="font-mono">. _ : -</code>
            </>
          }
          error={errorFor("name")}
        >
          {(control) => (
            <Input
              {...control}
              value={form.name}
              onChange={(e) => set({ name: e.target.value })}
              placeholder="smart"
              autoComplete="off"
              spellCheck={false}
              autoFocus
              className="font-mono"
            />
          )}
        </Field>
        <Field label="Strategy" hint={strategyHint} error={errorFor("strategy")}>
          {(control) => (
            <Select
              {...control}
              value={form.strategy}
              onChange={(e) => set({ strategy: e.target.value })}
            >
              {ROUTE_STRATEGIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <Field label="Description" optional error={errorFor("description")}>
        {(control) => (
          <Input
            {...control}
            value={form.description}
            onChange={(e) => set({ description: e.target.value })}
            placeholder="What this route is for"
            maxLength={500}
          />
        )}
      </Field>

      <fieldset className="space-y-2" aria-labelledby={targetsLabelId}>
        <div className="flex items-baseline justify-between gap-3">
          <p id={targetsLabelId} className="text-sm font-medium text-zinc-800">
            Targets
          </p>
          <p className="text-xs text-zinc-500">
            <code className="font-mono">provider/model</code> or a plain model name
            {weighted ? "; weights are relative (default 1)" : ", tried in this order"}
          </p>
        </div>
        <datalist id={listId}>
          {models.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <ol className="space-y-2">
          {form.targets.map((target, i) => {
            const modelError = errorFor(`targets.${i}.model`);
            const weightError = errorFor(`targets.${i}.weight`);
            const rowError = errorFor(`targets.${i}`);
            return (
              <li key={i} data-testid="route-target-row">
                <div className="flex items-center gap-2">
                  <span className="w-5 shrink-0 text-right text-xs text-zinc-400 tabular-nums">
                    {i + 1}
                  </span>
                  {/* Wrapped: the inputs are full-width blocks; the wrappers set their share. */}
                  <div className="min-w-0 flex-1">
                    <Input
                      aria-label={`Target ${i + 1} model`}
                      aria-invalid={modelError ? true : undefined}
                      value={target.model}
                      onChange={(e) => setTarget(i, { model: e.target.value })}
                      list={listId}
                      placeholder="openai/gpt-4o-mini"
                      autoComplete="off"
                      spellCheck={false}
                      className="font-mono"
                    />
                  </div>
                  {weighted ? (
                    <div className="w-20 shrink-0">
                      <Input
                        aria-label={`Target ${i + 1} weight`}
                        aria-invalid={weightError ? true : undefined}
                        value={target.weight}
                        onChange={(e) => setTarget(i, { weight: e.target.value })}
                        inputMode="decimal"
                        placeholder="1"
                      />
                    </div>
                  ) : null}
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Remove target ${i + 1}`}
                    disabled={form.targets.length === 1}
                    onClick={() => set({ targets: form.targets.filter((_, j) => j !== i) })}
                  >
                    <XIcon />
                  </Button>
                </div>
                {modelError || weightError || rowError ? (
                  <p className="mt-1 pl-7 text-xs font-medium text-red-600">
                    {[modelError, weightError, rowError].filter(Boolean).join(" · ")}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ol>
        {errorFor("targets") ? (
          <p className="text-xs font-medium text-red-600">{errorFor("targets")}</p>
        ) : null}
        <Button
          variant="secondary"
          size="sm"
          icon={<PlusIcon />}
          disabled={form.targets.length >= 20}
          onClick={() => set({ targets: [...form.targets, emptyTarget()] })}
        >
          Add target
        </Button>
      </fieldset>

      <p className="rounded-md bg-zinc-50 px-3 py-2 text-xs text-zinc-600">
        {advanced.length > 0 ? (
          <>
            Also set: <span className="font-mono">{advanced.join(", ")}</span> (kept as they are;
            edit them in YAML / JSON mode).
          </>
        ) : (
          <>
            Retries, circuit breaker, hedging, timeouts and conditions per target: switch to YAML /
            JSON mode.
          </>
        )}
      </p>
    </>
  );
}

function RouteTextField({
  value,
  onChange,
  check,
}: {
  value: string;
  onChange: (value: string) => void;
  check: ReturnType<typeof parseRouteText>;
}) {
  const problemsId = useId();
  return (
    <div className="space-y-2">
      <Field
        label="Route (YAML or JSON)"
        hint="The whole route, as in a routes file. Checked as you type."
      >
        {(control) => (
          <Textarea
            {...control}
            aria-describedby={`${control["aria-describedby"] ?? ""} ${problemsId}`.trim()}
            aria-invalid={check.ok ? undefined : true}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            rows={16}
            spellCheck={false}
            autoComplete="off"
            className="font-mono text-[13px] leading-relaxed"
          />
        )}
      </Field>
      <div id={problemsId} data-testid="route-text-check" aria-live="polite">
        {check.ok ? (
          <p className="flex items-center gap-1.5 text-xs font-medium text-emerald-700">
            <CheckIcon className="size-3.5" />
            Valid route: {check.route.strategy}, {check.route.targets.length} target
            {check.route.targets.length === 1 ? "" : "s"}
          </p>
        ) : (
          <ul className="space-y-0.5 text-xs font-medium text-red-600">
            {check.problems.map((p, i) => (
              <li key={i} className="font-mono">
                {formatDocumentProblem(p)}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
