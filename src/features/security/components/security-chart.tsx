"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { SecurityBucket } from "../server/get-security-overview";

export const OUTCOME_COLORS = {
  blocked: "#dc2626",
  flagged: "#d97706",
  denied: "#7c3aed",
} as const;

const hourFormat = new Intl.DateTimeFormat("en-US", { hour: "numeric", timeZone: "UTC" });
const dayFormat = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** Stacked bars of blocked, flagged and denied requests per hour or UTC day. */
export function SecurityChart({
  series,
  bucket,
}: {
  series: SecurityBucket[];
  bucket: "hour" | "day";
}) {
  const rows = series.map((b) => ({
    label: (bucket === "hour" ? hourFormat : dayFormat).format(new Date(b.at)),
    blocked: b.blocked,
    flagged: b.flagged,
    denied: b.denied,
  }));
  return (
    <div data-testid="security-chart" className="h-60 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid vertical={false} stroke="#f4f4f5" />
          <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={11} minTickGap={12} />
          <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={11} />
          <Tooltip cursor={{ fill: "#f4f4f5" }} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
          <Legend iconType="square" iconSize={10} wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="blocked" name="Blocked" stackId="s" fill={OUTCOME_COLORS.blocked} />
          <Bar dataKey="flagged" name="Flagged" stackId="s" fill={OUTCOME_COLORS.flagged} />
          <Bar dataKey="denied" name="Denied" stackId="s" fill={OUTCOME_COLORS.denied} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
