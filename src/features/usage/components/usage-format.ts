import type { UsageBucket } from "../usage-range";

const integer = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** `1234567` → `1.2M` for headlines (the exact figure goes in a tooltip). */
export function formatCompact(n: number): string {
  return n < 10_000 ? integer.format(n) : compact.format(n);
}

export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  if (pct > 0 && pct < 0.1) return "<0.1%";
  return `${pct.toFixed(pct >= 10 || pct === 0 ? 0 : 1)}%`;
}

const hourLabel = new Intl.DateTimeFormat("en-US", { hour: "numeric" });
const dayLabel = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});
const hourDetail = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});
const dayDetail = new Intl.DateTimeFormat("en-US", {
  weekday: "short",
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});

/**
 * Axis labels. Hour buckets read in the browser's time zone (an hour is an hour everywhere);
 * day buckets are UTC days, so they are labelled as UTC dates.
 */
export function bucketLabel(bucket: Date, size: UsageBucket): string {
  return size === "hour" ? hourLabel.format(bucket) : dayLabel.format(bucket);
}

export function bucketDetail(bucket: Date, size: UsageBucket): string {
  return size === "hour" ? hourDetail.format(bucket) : `${dayDetail.format(bucket)} (UTC)`;
}
