"use client";

import { useId, useState, type KeyboardEvent } from "react";
import { Button } from "~/components/button";
import { XIcon } from "~/components/icons";
import { Input } from "~/components/input";
import { PROVIDER_LIMITS } from "../schemas";

/** Splits typed or pasted text into model ids (commas, spaces, new lines). */
export function splitModelIds(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((m) => m.trim())
    .filter(Boolean);
}

/**
 * An editable list of model ids as removable chips, with a box to add more (Enter, comma or
 * paste of a whole list). Long lists scroll inside the box.
 */
export function ModelChips({
  models,
  onChange,
  disabled,
  labelledBy,
}: {
  models: string[];
  onChange: (models: string[]) => void;
  disabled?: boolean;
  labelledBy?: string;
}) {
  const [draft, setDraft] = useState("");
  const inputId = useId();
  const full = models.length >= PROVIDER_LIMITS.modelsMax;

  const add = (text: string) => {
    const incoming = splitModelIds(text).filter((m) => m.length <= PROVIDER_LIMITS.modelIdMax);
    if (incoming.length === 0) return;
    const next = [...models];
    for (const m of incoming)
      if (!next.includes(m) && next.length < PROVIDER_LIMITS.modelsMax) next.push(m);
    onChange(next);
    setDraft("");
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      add(draft);
    } else if (event.key === "Backspace" && draft === "" && models.length > 0) {
      onChange(models.slice(0, -1));
    }
  };

  return (
    <div className="space-y-2">
      {models.length > 0 ? (
        <ul
          aria-labelledby={labelledBy}
          className="flex max-h-44 flex-wrap gap-1.5 overflow-y-auto rounded-md border border-zinc-200 bg-zinc-50 p-2"
          data-testid="model-chips"
        >
          {models.map((model) => (
            <li
              key={model}
              className="inline-flex max-w-full items-center gap-1 rounded-full bg-white py-0.5 pr-1 pl-2.5 font-mono text-xs text-zinc-800 ring-1 ring-zinc-300 ring-inset"
            >
              <span className="truncate">{model}</span>
              <button
                type="button"
                disabled={disabled}
                onClick={() => onChange(models.filter((m) => m !== model))}
                className="rounded-full p-0.5 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700 disabled:opacity-50"
                aria-label={`Remove ${model}`}
              >
                <XIcon className="size-3" />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="rounded-md border border-dashed border-zinc-300 px-3 py-2.5 text-xs text-zinc-500">
          No models yet. Discover them from the provider, or type model ids below.
        </p>
      )}
      <div className="flex items-center gap-2">
        <label htmlFor={inputId} className="sr-only">
          Add model ids
        </label>
        <Input
          id={inputId}
          value={draft}
          disabled={disabled || full}
          placeholder={
            full
              ? `At most ${PROVIDER_LIMITS.modelsMax} models`
              : "Add model id, e.g. llama-3.3-70b"
          }
          className="font-mono"
          autoComplete="off"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          onPaste={(e) => {
            const text = e.clipboardData.getData("text");
            if (/[\s,]/.test(text.trim())) {
              e.preventDefault();
              add(text);
            }
          }}
          onBlur={() => add(draft)}
        />
        <Button
          variant="secondary"
          size="sm"
          disabled={disabled || !draft.trim()}
          onClick={() => add(draft)}
        >
          Add
        </Button>
      </div>
      <div className="flex items-center justify-between text-xs text-zinc-500">
        <span>
          {models.length} model{models.length === 1 ? "" : "s"}
        </span>
        {models.length > 0 ? (
          <button
            type="button"
            disabled={disabled}
            className="font-medium text-zinc-600 hover:text-red-700 disabled:opacity-50"
            onClick={() => onChange([])}
          >
            Remove all
          </button>
        ) : null}
      </div>
    </div>
  );
}
