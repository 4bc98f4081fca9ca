import { BUCKET_MS, bucketStart, rangeProblem } from "../usage-range";

export const RANGE_PRESETS = [
  { id: "24h", label: "24 hours" },
  { id: "7d", label: "7 days" },
  { id: "30d", label: "30 days" },
  { id: "custom", label: "Custom" },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]["id"];

export function isRangePreset(value: string | null): value is RangePreset {
  return RANGE_PRESETS.some((p) => p.id === value);
}

/**
 * The window a preset shows, ending now: whole buckets (the current one included), so every bar
 * of the chart covers the same span and the query stays the same until the next bucket begins.
 */
export function presetRange(preset: Exclude<RangePreset, "custom">, now: number): { since: Date } {
  if (preset === "24h")
    return { since: new Date(bucketStart(new Date(now), "hour").getTime() - 23 * BUCKET_MS.hour) };
  const days = preset === "7d" ? 7 : 30;
  return {
    since: new Date(bucketStart(new Date(now), "day").getTime() - (days - 1) * BUCKET_MS.day),
  };
}

/** `datetime-local` values (local time, no zone) → a range, or why they are not one. */
export function customRange(
  from: string,
  to: string,
): { since: Date; until: Date } | { problem: string } {
  if (!from || !to) return { problem: "Pick a start and an end." };
  const since = new Date(from);
  const until = new Date(to);
  const problem = rangeProblem(since, until);
  return problem ? { problem } : { since, until };
}

/** A Date as a `datetime-local` value in the browser's time zone. */
export function toLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
