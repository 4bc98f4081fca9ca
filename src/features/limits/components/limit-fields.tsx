"use client";

import { Field, Input } from "~/components/input";
import type { RateLimits } from "~/gateway/limits/types";
import { MEASURES, limitText } from "./limits-format";

export type LimitTexts = Record<keyof RateLimits, string>;

export const EMPTY_LIMIT_TEXTS: LimitTexts = { rpm: "", tpm: "", rpd: "", concurrent: "" };

/**
 * The four rate-limit measures as a grid of fields. Empty = no limit (or, with `inherited`, the
 * tier's value, shown as the placeholder).
 */
export function LimitFields({
  values,
  onChange,
  errors,
  inherited,
}: {
  values: LimitTexts;
  onChange: (next: LimitTexts) => void;
  errors: Record<string, string | undefined>;
  inherited?: RateLimits | null;
}) {
  return (
    <div className="grid grid-cols-2 gap-4">
      {MEASURES.map((m) => (
        <Field key={m.key} label={m.label} error={errors[m.key]}>
          {(control) => (
            <Input
              {...control}
              name={m.key}
              inputMode="numeric"
              autoComplete="off"
              value={values[m.key]}
              placeholder={
                inherited && inherited[m.key] !== null
                  ? `${limitText(inherited[m.key])} (tier)`
                  : "No limit"
              }
              onChange={(e) => onChange({ ...values, [m.key]: e.target.value })}
            />
          )}
        </Field>
      ))}
    </div>
  );
}

/** A row's four measures as compact cells. */
export function LimitCells({ limits }: { limits: RateLimits | null }) {
  return (
    <>
      {MEASURES.map((m) => {
        const v = limits?.[m.key] ?? null;
        return (
          <td
            key={m.key}
            className={`px-4 py-3 text-right whitespace-nowrap tabular-nums ${v === null ? "text-zinc-400" : "text-zinc-800"}`}
            title={v === null ? "No limit" : v.toLocaleString("en-US")}
          >
            {limitText(v)}
          </td>
        );
      })}
    </>
  );
}
