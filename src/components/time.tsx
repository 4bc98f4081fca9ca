"use client";

import { useSyncExternalStore } from "react";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateTimeThisYear = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

export function formatRelative(date: Date, now: number): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return Math.abs(seconds) < 45
    ? seconds <= 0
      ? "just now"
      : "in a moment"
    : relative.format(seconds, "second");
}

export function formatDate(date: Date, withTime = false): string {
  return (withTime ? dateTime : dateOnly).format(date);
}

/**
 * A shared minute-resolution clock for relative times. The server snapshot is null: times render
 * only in the browser (server and browser time zones differ, which would break hydration).
 */
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribeClock(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    const tick = () => {
      now = Date.now();
      listeners.forEach((l) => l());
    };
    tick();
    timer = setInterval(tick, 30_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

function useNow(): number | null {
  return useSyncExternalStore(
    subscribeClock,
    () => now,
    () => null,
  );
}

/** A timestamp as `<time>`: relative ("3 hours ago") or absolute, with the full date in a tooltip. */
export function Time({
  value,
  mode = "relative",
  empty = "—",
}: {
  value: Date | string | null | undefined;
  mode?: "relative" | "date" | "datetime";
  empty?: string;
}) {
  const current = useNow();
  if (!value) return <span className="text-zinc-400">{empty}</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  if (current === null) return <time dateTime={date.toISOString()}>&nbsp;</time>;
  const text =
    mode === "relative"
      ? formatRelative(date, current)
      : mode === "datetime" && date.getFullYear() === new Date(current).getFullYear()
        ? dateTimeThisYear.format(date)
        : formatDate(date, mode === "datetime");
  return (
    <time dateTime={date.toISOString()} title={formatDate(date, true)}>
      {text}
    </time>
  );
}
