import { cx } from "~/components/class-names";
import { consumption, percentText, usd } from "./limits-format";

const fills = { ok: "bg-emerald-500", warning: "bg-amber-500", over: "bg-red-600" } as const;
const texts = { ok: "text-zinc-700", warning: "text-amber-800", over: "text-red-700" } as const;

/**
 * Spent vs amount in the current period: a bar (amber from 80 %, red at 100 %) with the alert
 * thresholds as ticks, and the numbers under it.
 */
export function BudgetBar({
  spentMicros,
  amountMicros,
  thresholds,
  label,
}: {
  spentMicros: number;
  amountMicros: number;
  thresholds: number[];
  label: string;
}) {
  const { ratio, tone } = consumption(spentMicros, amountMicros);
  const width = Math.min(ratio, 1) * 100;
  return (
    <div className="w-56 max-w-full" data-testid="budget-bar" data-tone={tone}>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={amountMicros / 1_000_000}
        aria-valuenow={Math.min(spentMicros, amountMicros) / 1_000_000}
        aria-valuetext={`${usd(spentMicros)} of ${usd(amountMicros)} (${percentText(ratio)})`}
        className="relative h-2.5 overflow-hidden rounded-full bg-zinc-100 ring-1 ring-zinc-200 ring-inset"
      >
        <div
          className={cx("h-full rounded-full transition-[width]", fills[tone])}
          style={{ width: `${width > 0 ? Math.max(width, 2) : 0}%` }}
        />
        {thresholds
          .filter((t) => t < 100)
          .map((t) => (
            <span
              key={t}
              aria-hidden="true"
              className="absolute inset-y-0 w-px bg-zinc-400/70"
              style={{ left: `${t}%` }}
              title={`Alert at ${t}%`}
            />
          ))}
      </div>
      <div className="mt-1 flex items-baseline justify-between gap-2 text-xs">
        <span className={cx("tabular-nums", texts[tone])}>
          <span className="font-medium">{usd(spentMicros)}</span> of {usd(amountMicros)}
        </span>
        <span className={cx("font-medium tabular-nums", texts[tone])}>{percentText(ratio)}</span>
      </div>
    </div>
  );
}
