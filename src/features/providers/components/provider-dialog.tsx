"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { CheckIcon, SearchIcon } from "~/components/icons";
import { Field, Input, Textarea } from "~/components/input";
import { Select } from "~/components/select";
import { useToast } from "~/components/toast";
import { errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { optionFieldsFor, PROVIDER_LIMITS, PROVIDER_NAME_PATTERN } from "../schemas";
import type { DiscoveredModels } from "../server/discover-provider-models";
import type { OrgProviderView } from "../server/provider-view";
import type { ConnectionTestResult } from "../server/test-provider-connection";
import { ModelChips } from "./model-chips";
import {
  headerLines,
  mergeModels,
  optionsForType,
  parseHeaderLines,
  parseTimeouts,
  sameOptions,
  TIMEOUT_FIELDS,
  type TimeoutField,
} from "./provider-form-values";
import {
  API_KEY_PLACEHOLDERS,
  BASE_URL_HINTS,
  BASE_URL_PLACEHOLDERS,
  DEFAULT_BASE_URLS,
  OPENAI_COMPATIBLE_PRESETS,
  orderedTypes,
  presetForUrl,
  TYPE_HINTS,
  TYPE_LABELS,
} from "./provider-presets";
import { TestResultNote } from "./test-result";

const FORM_ID = "provider-form";

function initialTimeouts(p: OrgProviderView | null): Record<TimeoutField, string> {
  const t = p?.timeouts ?? {};
  return {
    connectMs: t.connectMs?.toString() ?? "",
    firstByteMs: t.firstByteMs?.toString() ?? "",
    idleMs: t.idleMs?.toString() ?? "",
    totalMs: t.totalMs?.toString() ?? "",
  };
}

/**
 * Add or edit an org provider. The API key field is write-only: editing shows `…last4` and an
 * empty field keeps the stored key. "Test connection" and "Discover models" work on what the
 * form says right now, before saving.
 */
/** The two saving mutations, owned by the dialog so its footer can show progress. */
function useSaveMutations(orgSlug: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invalidateList = () =>
    queryClient.invalidateQueries({ queryKey: trpc.providers.list.queryKey({ orgSlug }) });
  const create = useMutation(trpc.providers.create.mutationOptions({ onSuccess: invalidateList }));
  const update = useMutation(trpc.providers.update.mutationOptions({ onSuccess: invalidateList }));
  return { create, update };
}
type SaveMutations = ReturnType<typeof useSaveMutations>;

export function ProviderDialog({
  orgSlug,
  open,
  editing,
  types,
  reservedNames,
  privateUpstreamsAllowed,
  onClose,
}: {
  orgSlug: string;
  open: boolean;
  /** null = add a new provider. */
  editing: OrgProviderView | null;
  types: string[];
  reservedNames: string[];
  privateUpstreamsAllowed: boolean;
  onClose: () => void;
}) {
  const mutations = useSaveMutations(orgSlug);
  const save = editing ? mutations.update : mutations.create;
  const close = () => {
    mutations.create.reset();
    mutations.update.reset();
    onClose();
  };
  // The dialog stays mounted and only its `open` changes; the form inside is mounted per
  // opening (keyed by provider) so its state starts from the provider being edited.
  return (
    <Dialog
      open={open}
      onClose={close}
      size="lg"
      title={editing ? `Edit provider ${editing.name}` : "Add provider"}
      description="An upstream LLM API this organization can call through the gateway."
      testId="provider-dialog"
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" form={FORM_ID} loading={save.isPending}>
            {editing ? "Save changes" : "Add provider"}
          </Button>
        </>
      }
    >
      <ProviderForm
        key={editing?.id ?? "new"}
        orgSlug={orgSlug}
        editing={editing}
        types={types}
        reservedNames={reservedNames}
        privateUpstreamsAllowed={privateUpstreamsAllowed}
        mutations={mutations}
        onDone={close}
      />
    </Dialog>
  );
}

function ProviderForm({
  orgSlug,
  editing,
  types,
  reservedNames,
  privateUpstreamsAllowed,
  mutations,
  onDone,
}: {
  orgSlug: string;
  editing: OrgProviderView | null;
  types: string[];
  reservedNames: string[];
  privateUpstreamsAllowed: boolean;
  mutations: SaveMutations;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const modelsLabelId = useId();
  const defaultType = types.includes("openai-compatible") ? "openai-compatible" : (types[0] ?? "");

  const [type, setType] = useState(editing?.type ?? defaultType);
  const [name, setName] = useState(editing?.name ?? "");
  const [baseUrl, setBaseUrl] = useState(editing?.baseUrl ?? "");
  const [apiKey, setApiKey] = useState("");
  const [removeKey, setRemoveKey] = useState(false);
  const [models, setModels] = useState<string[]>(editing?.models ?? []);
  const [priority, setPriority] = useState(String(editing?.priority ?? 100));
  const [headersText, setHeadersText] = useState(headerLines(editing?.headers ?? {}));
  const [timeouts, setTimeouts] = useState(initialTimeouts(editing));
  // Adapter-specific settings (e.g. Azure's API version), shown for the types that take them.
  const [optionValues, setOptionValues] = useState<Record<string, string>>(editing?.options ?? {});
  const [localError, setLocalError] = useState<string | null>(null);
  const [testResult, setTestResult] = useState<ConnectionTestResult | null>(null);
  const [discovery, setDiscovery] = useState<DiscoveredModels | null>(null);

  const invalidateList = () =>
    queryClient.invalidateQueries({ queryKey: trpc.providers.list.queryKey({ orgSlug }) });
  const { create, update } = mutations;
  const test = useMutation(trpc.providers.test.mutationOptions());
  const discover = useMutation(trpc.providers.discoverModels.mutationOptions());
  const save = editing ? update : create;
  const errors = fieldErrors(save.error);
  const preset = presetForUrl(baseUrl);
  const nameTaken = reservedNames.includes(name.trim());
  const optionFields = optionFieldsFor(type);
  const parsedOptions = optionsForType(type, optionValues);

  /** What to probe: the saved provider as saved, or the form's current values. */
  function probeInput() {
    const headers = parseHeaderLines(headersText);
    if (!headers.ok) throw new Error(headers.error);
    if (!parsedOptions.ok) throw new Error(parsedOptions.error);
    const unchanged =
      editing &&
      type === editing.type &&
      baseUrl.trim().replace(/\/+$/, "") === editing.baseUrl &&
      !apiKey.trim() &&
      !removeKey &&
      headerLines(headers.headers) === headerLines(editing.headers) &&
      sameOptions(parsedOptions.options, editing.options);
    if (unchanged) return { orgSlug, id: editing.id };
    return {
      orgSlug,
      id: editing && !removeKey ? editing.id : undefined,
      draft: {
        type,
        baseUrl: baseUrl.trim(),
        apiKey: apiKey.trim() || undefined,
        headers: headers.headers,
        options: parsedOptions.options,
      },
    };
  }

  async function runTest() {
    setLocalError(null);
    setTestResult(null);
    try {
      const result = await test.mutateAsync(probeInput());
      setTestResult(result);
      if (result.recorded) void invalidateList();
    } catch (err) {
      setLocalError(errorMessage(err));
    }
  }

  async function runDiscover() {
    setLocalError(null);
    setDiscovery(null);
    try {
      const result = await discover.mutateAsync(probeInput());
      if (models.length === 0) setModels(result.discovered);
      setDiscovery(result);
    } catch (err) {
      setLocalError(errorMessage(err));
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setLocalError(null);
    const headers = parseHeaderLines(headersText);
    if (!headers.ok) return setLocalError(headers.error);
    const parsedTimeouts = parseTimeouts(timeouts);
    if (!parsedTimeouts.ok) return setLocalError(parsedTimeouts.error);
    if (!parsedOptions.ok) return setLocalError(parsedOptions.error);
    const priorityNumber = Number(priority);
    if (!Number.isInteger(priorityNumber) || priorityNumber < 0 || priorityNumber > 10_000) {
      return setLocalError("Priority: a whole number from 0 to 10000.");
    }
    const fields = {
      orgSlug,
      name: name.trim(),
      type,
      baseUrl: baseUrl.trim(),
      headers: headers.headers,
      models,
      timeouts: parsedTimeouts.timeouts,
      priority: priorityNumber,
      options: parsedOptions.options,
    };
    try {
      if (editing) {
        await update.mutateAsync({
          ...fields,
          id: editing.id,
          ...(removeKey ? { apiKey: null } : apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
        });
        toast.success(`Saved provider ${fields.name}.`);
      } else {
        await create.mutateAsync({
          ...fields,
          ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
        });
        toast.success(`Added provider ${fields.name}. Call its models as ${fields.name}/<model>.`);
      }
      onDone();
    } catch {
      // Shown from save.error.
    }
  }

  const knownFieldError = Object.keys(errors).some((k) =>
    [
      "name",
      "type",
      "baseUrl",
      "apiKey",
      "models",
      "headers",
      "timeouts",
      "priority",
      "options",
    ].includes(k),
  );
  const generalError =
    localError ?? (save.error && !knownFieldError ? errorMessage(save.error) : null);
  const probing = test.isPending || discover.isPending;
  const canProbe = Boolean(type && baseUrl.trim()) && !probing;
  const newModels = discovery ? discovery.discovered.filter((m) => !models.includes(m)) : [];

  return (
    <form id={FORM_ID} onSubmit={onSubmit} className="space-y-5">
      {generalError ? <Alert tone="danger">{generalError}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Type" hint={TYPE_HINTS[type]} error={errors.type}>
          {(control) => (
            <Select
              {...control}
              value={type}
              onChange={(e) => {
                const next = e.target.value;
                setType(next);
                // An empty URL, or the previous type's default, follows the type.
                const current = baseUrl.trim().replace(/\/+$/, "");
                if (!current || current === DEFAULT_BASE_URLS[type])
                  setBaseUrl(DEFAULT_BASE_URLS[next] ?? "");
              }}
            >
              {orderedTypes(types).map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t] ?? t}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {type === "openai-compatible" ? (
          <Field label="Preset" hint="Fills in the base URL; edit it as you like.">
            {(control) => (
              <Select
                {...control}
                value={preset?.label ?? ""}
                onChange={(e) => {
                  const p = OPENAI_COMPATIBLE_PRESETS.find((x) => x.label === e.target.value);
                  if (!p) return;
                  setBaseUrl(p.baseUrl);
                  if (!name.trim()) setName(p.name);
                }}
              >
                <option value="">Custom URL</option>
                {OPENAI_COMPATIBLE_PRESETS.map((p) => (
                  <option key={p.label} value={p.label}>
                    {p.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        ) : (
          <div className="hidden sm:block" />
        )}
      </div>

      <Field
        label="Name"
        hint={
          name.trim() && PROVIDER_NAME_PATTERN.test(name.trim()) ? (
            <>
              Clients call its models as <code className="font-mono">{name.trim()}/model-id</code>.
            </>
          ) : (
            "Lowercase letters, digits, - and _ (e.g. groq, ollama-gpu)."
          )
        }
        error={
          errors.name ??
          (nameTaken ? `"${name.trim()}" is an instance-wide provider; choose another name.` : null)
        }
      >
        {(control) => (
          <Input
            {...control}
            value={name}
            onChange={(e) => setName(e.target.value.toLowerCase())}
            required
            maxLength={PROVIDER_LIMITS.nameMax}
            autoComplete="off"
            autoFocus={!editing}
            className="font-mono"
          />
        )}
      </Field>

      <Field
        label="Base URL"
        hint={
          preset?.local && !privateUpstreamsAllowed
            ? "This instance does not call private or local addresses (SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS)."
            : preset?.local
              ? "Runs on the gateway's own machine or network."
              : (BASE_URL_HINTS[type] ??
                "The URL that ends where /chat/completions and /models begin.")
        }
        error={errors.baseUrl}
      >
        {(control) => (
          <Input
            {...control}
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
            required
            type="url"
            inputMode="url"
            placeholder={BASE_URL_PLACEHOLDERS[type] ?? "https://api.example.com/v1"}
            maxLength={PROVIDER_LIMITS.baseUrlMax}
            autoComplete="off"
            className="font-mono"
          />
        )}
      </Field>

      <Field
        label="API key"
        optional
        hint={
          editing?.hasApiKey
            ? removeKey
              ? "The stored key will be removed when you save."
              : `Stored key …${editing.apiKeyLast4 ?? ""}. Leave empty to keep it; it cannot be shown again.`
            : preset?.keyless
              ? "Local servers usually need none."
              : "Stored encrypted. It is never shown again, only its last 4 characters."
        }
        error={errors.apiKey}
      >
        {(control) => (
          <div className="flex items-center gap-2">
            <Input
              {...control}
              value={apiKey}
              onChange={(e) => {
                setApiKey(e.target.value);
                if (e.target.value) setRemoveKey(false);
              }}
              type="password"
              placeholder={
                editing?.hasApiKey && !removeKey
                  ? `…${editing.apiKeyLast4 ?? ""} (unchanged)`
                  : (API_KEY_PLACEHOLDERS[type] ?? "sk-…")
              }
              maxLength={PROVIDER_LIMITS.apiKeyMax}
              autoComplete="new-password"
              spellCheck={false}
              className="font-mono"
            />
            {editing?.hasApiKey ? (
              <Button
                variant={removeKey ? "secondary" : "ghost-danger"}
                size="sm"
                onClick={() => {
                  setRemoveKey((v) => !v);
                  setApiKey("");
                }}
              >
                {removeKey ? "Keep key" : "Remove key"}
              </Button>
            ) : null}
          </div>
        )}
      </Field>

      {optionFields.map((field) => (
        <Field
          key={field.key}
          label={field.label}
          optional
          hint={field.hint}
          error={
            errors.options ??
            (!parsedOptions.ok && (optionValues[field.key] ?? "").trim() !== ""
              ? parsedOptions.error
              : null)
          }
        >
          {(control) => (
            <Input
              {...control}
              value={optionValues[field.key] ?? ""}
              onChange={(e) => setOptionValues((o) => ({ ...o, [field.key]: e.target.value }))}
              placeholder={field.placeholder}
              autoComplete="off"
              spellCheck={false}
              className="w-56 font-mono"
              data-testid={`provider-option-${field.key}`}
            />
          )}
        </Field>
      ))}

      <div className="flex flex-wrap items-center gap-2">
        <Button
          variant="secondary"
          size="sm"
          icon={<CheckIcon />}
          loading={test.isPending}
          disabled={!canProbe}
          onClick={() => void runTest()}
        >
          Test connection
        </Button>
        <Button
          variant="secondary"
          size="sm"
          icon={<SearchIcon />}
          loading={discover.isPending}
          disabled={!canProbe}
          onClick={() => void runDiscover()}
        >
          Discover models
        </Button>
        {testResult ? <TestResultNote result={testResult} /> : null}
      </div>

      <div className="space-y-1.5">
        <p id={modelsLabelId} className="text-sm font-medium text-zinc-800">
          Models
        </p>
        {discovery ? (
          <div
            className="flex flex-wrap items-center gap-2 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-xs text-sky-900"
            role="status"
          >
            <span>
              Found {discovery.discovered.length} model
              {discovery.discovered.length === 1 ? "" : "s"}
              {discovery.truncated ? ` (first ${PROVIDER_LIMITS.modelsMax} kept)` : ""}
              {newModels.length > 0 ? `, ${newModels.length} not in the list` : ", all in the list"}
              .
            </span>
            {newModels.length > 0 ? (
              <Button
                variant="secondary"
                size="sm"
                onClick={() => setModels(mergeModels(models, discovery.discovered))}
              >
                Add {newModels.length} new
              </Button>
            ) : null}
            {models.join() !== discovery.discovered.join() ? (
              <Button variant="ghost" size="sm" onClick={() => setModels(discovery.discovered)}>
                Replace list
              </Button>
            ) : null}
          </div>
        ) : null}
        <ModelChips models={models} onChange={setModels} labelledBy={modelsLabelId} />
        {errors.models ? <p className="text-xs font-medium text-red-600">{errors.models}</p> : null}
      </div>

      <details className="group rounded-md border border-zinc-200 px-3 py-2">
        <summary className="cursor-pointer text-sm font-medium text-zinc-700 select-none">
          Advanced: priority, headers, timeouts
        </summary>
        <div className="mt-3 space-y-4 pb-1">
          <Field
            label="Priority"
            hint="When several providers offer the same model name, the lower number is tried first."
            error={errors.priority}
          >
            {(control) => (
              <Input
                {...control}
                value={priority}
                onChange={(e) => setPriority(e.target.value)}
                inputMode="numeric"
                className="w-32"
              />
            )}
          </Field>
          <Field
            label="Extra headers"
            optional
            hint="One per line as Name: value (not for secrets: they are shown to members)."
            error={errors.headers}
          >
            {(control) => (
              <Textarea
                {...control}
                value={headersText}
                onChange={(e) => setHeadersText(e.target.value)}
                rows={2}
                placeholder="HTTP-Referer: https://example.com"
                className="font-mono"
              />
            )}
          </Field>
          <fieldset>
            <legend className="text-sm font-medium text-zinc-800">
              Timeouts{" "}
              <span className="font-normal text-zinc-500">(ms, empty = instance default)</span>
            </legend>
            <div className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-4">
              {TIMEOUT_FIELDS.map(({ key, label }) => (
                <Field key={key} label={<span className="text-xs">{label}</span>}>
                  {(control) => (
                    <Input
                      {...control}
                      value={timeouts[key]}
                      inputMode="numeric"
                      placeholder="default"
                      onChange={(e) => setTimeouts((t) => ({ ...t, [key]: e.target.value }))}
                    />
                  )}
                </Field>
              ))}
            </div>
            {errors.timeouts ? (
              <p className="mt-1 text-xs font-medium text-red-600">{errors.timeouts}</p>
            ) : null}
          </fieldset>
        </div>
      </details>
    </form>
  );
}
