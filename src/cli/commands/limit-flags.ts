import type { Command } from "commander";
import type { z } from "zod";
import {
  createBudgetInput,
  setKeyLimitsInput,
  type CreateBudgetInput,
} from "~/features/limits/schemas";
import type { BudgetView } from "~/features/limits/server/budget-view";
import type { KeyLimitView } from "~/features/limits/server/key-limit-view";
import { describeLimits, usdText } from "~/features/limits/server/limits-rules";
import { parseInput, UsageError } from "../cli-error";

/** The limit and budget flags `keys create` and `keys update` share. */
export interface LimitFlags {
  rpm?: string;
  tpm?: string;
  rpd?: string;
  concurrent?: string;
  tier?: string;
  budgetUsd?: string;
  budgetPeriod?: string;
  budgetSoft?: boolean;
}

export function addLimitFlags(command: Command): Command {
  return command
    .option("--rpm <n>", "requests per minute for this key")
    .option("--tpm <n>", "tokens per minute for this key")
    .option("--rpd <n>", "requests per day for this key")
    .option("--concurrent <n>", "requests in flight at once for this key")
    .option("--tier <name>", "rate-limit tier (its limits apply where the key sets none)")
    .option("--budget-usd <amount>", "spending budget of this key, in USD")
    .option("--budget-period <period>", "budget period: daily, weekly, monthly or total")
    .option("--budget-soft", "alert only; a hard budget (the default) refuses requests");
}

/**
 * A number flag as typed: numeric text becomes a number and everything else stays text, so the
 * schema says what is wrong with it ("--rpm: must be a number", "--rpm: must be at least 1").
 */
function numberFlag(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim().replace(/^\$/, "");
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : value;
}

const KEY_FLAGS = {
  rpm: "--rpm",
  tpm: "--tpm",
  rpd: "--rpd",
  concurrent: "--concurrent",
  tierName: "--tier",
} as const;

const keyLimitsPatchSchema = setKeyLimitsInput.omit({ keyId: true });

export type KeyLimitsPatch = z.output<typeof keyLimitsPatchSchema>;

/** The key-limit part of the flags (null when none was given), validated like the console. */
export function parseKeyLimitFlags(opts: LimitFlags): KeyLimitsPatch | null {
  const given = ["rpm", "tpm", "rpd", "concurrent", "tier"] as const;
  if (!given.some((f) => opts[f] !== undefined)) return null;
  return parseInput(
    keyLimitsPatchSchema,
    {
      rpm: numberFlag(opts.rpm),
      tpm: numberFlag(opts.tpm),
      rpd: numberFlag(opts.rpd),
      concurrent: numberFlag(opts.concurrent),
      tierName: opts.tier,
    },
    KEY_FLAGS,
  );
}

export interface BudgetFlags {
  amountMicros: number;
  period: CreateBudgetInput["period"];
  hard: boolean;
}

/** The budget part of the flags (null when none was given); `--budget-usd` needs a period. */
export function parseBudgetFlags(opts: LimitFlags): BudgetFlags | null {
  if (opts.budgetUsd === undefined) {
    if (opts.budgetPeriod !== undefined)
      throw new UsageError("--budget-period: give --budget-usd too");
    if (opts.budgetSoft) throw new UsageError("--budget-soft: give --budget-usd too");
    return null;
  }
  if (opts.budgetPeriod === undefined) {
    throw new UsageError(
      "--budget-usd: give --budget-period too (daily, weekly, monthly or total)",
    );
  }
  const parsed = parseInput(
    createBudgetInput,
    {
      scope: "key",
      keyId: "key",
      amountUsd: numberFlag(opts.budgetUsd),
      period: opts.budgetPeriod,
      hard: !opts.budgetSoft,
    },
    { amountUsd: "--budget-usd", period: "--budget-period", hard: "--budget-soft" },
  );
  return {
    amountMicros: parsed.amountMicros,
    period: parsed.period,
    hard: parsed.hard,
  };
}

/** `tier pro · rpm 10 · tpm 2,000,000 · …` (effective values) or `no limits`. */
export function keyLimitsLine(view: KeyLimitView): string {
  const parts: string[] = [];
  if (view.tier) parts.push(`tier ${view.tier.name}`);
  parts.push(view.effective ? describeLimits(view.effective) : "no rate limits");
  if (view.cacheTtlSeconds !== null) parts.push(`cache ttl ${view.cacheTtlSeconds}s`);
  return parts.join(" · ");
}

/** `$25.00 monthly, hard (spent $1.20 this period)` */
export function budgetLine(b: BudgetView): string {
  return `${usdText(b.amountMicros)} ${b.period}, ${b.hard ? "hard" : "soft"} (spent ${usdText(b.spentMicros)} ${b.period === "total" ? "in total" : "this period"})`;
}
