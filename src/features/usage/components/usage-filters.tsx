"use client";

import { cx } from "~/components/class-names";
import { Field, Input } from "~/components/input";
import { Select } from "~/components/select";
import { DIMENSION_LABELS, USAGE_DIMENSIONS, type UsageDimension } from "../schemas";
import { RANGE_PRESETS, type RangePreset } from "./range-presets";

export interface UsageFilterValues {
  range: RangePreset;
  from: string;
  to: string;
  by: UsageDimension;
}

function RangeTabs({
  value,
  onChange,
}: {
  value: RangePreset;
  onChange: (value: RangePreset) => void;
}) {
  return (
    <div
      role="radiogroup"
      aria-label="Time range"
      className="inline-flex h-9 rounded-md border border-zinc-300 bg-white p-0.5 shadow-sm"
    >
      {RANGE_PRESETS.map((preset) => {
        const checked = preset.id === value;
        return (
          <button
            key={preset.id}
            type="button"
            role="radio"
            aria-checked={checked}
            onClick={() => onChange(preset.id)}
            className={cx(
              "rounded px-3 text-sm font-medium whitespace-nowrap transition-colors",
              checked ? "bg-brand-600 text-white shadow-sm" : "text-zinc-700 hover:bg-zinc-100",
            )}
          >
            {preset.label}
          </button>
        );
      })}
    </div>
  );
}

/** Range (presets or custom dates) and what to break spend down by. */
export function UsageFilters({
  values,
  onChange,
  problem,
}: {
  values: UsageFilterValues;
  onChange: (patch: Partial<UsageFilterValues>) => void;
  problem: string | null;
}) {
  return (
    <div className="mb-5 space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <RangeTabs value={values.range} onChange={(range) => onChange({ range })} />
        <label className="flex items-center gap-2 text-sm text-zinc-600">
          Break down by
          <Select
            aria-label="Break down by"
            value={values.by}
            onChange={(e) => onChange({ by: e.target.value as UsageDimension })}
            className="w-36"
          >
            {USAGE_DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {DIMENSION_LABELS[d]}
              </option>
            ))}
          </Select>
        </label>
      </div>
      {values.range === "custom" ? (
        <div className="grid gap-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:max-w-xl">
          <Field label="From" error={problem ?? undefined}>
            {(control) => (
              <Input
                {...control}
                type="datetime-local"
                value={values.from}
                max={values.to || undefined}
                onChange={(e) => onChange({ from: e.target.value })}
              />
            )}
          </Field>
          <Field label="To">
            {(control) => (
              <Input
                {...control}
                type="datetime-local"
                value={values.to}
                min={values.from || undefined}
                onChange={(e) => onChange({ to: e.target.value })}
              />
            )}
          </Field>
        </div>
      ) : null}
    </div>
  );
}
