/**
 * The limits engine's public surface. The tokenizer is not re-exported here: import
 * `token-estimate` (or the lazy wrappers) where an estimate is needed, so loading this module
 * does not load the tokenizer's tables.
 */
export { createLimitsEngine, NOOP_ADMISSION } from "./limits-engine";
export type {
  Admission,
  AdmitRequest,
  BudgetAlert,
  LimitsEngine,
  LimitsEngineOptions,
  SettleUsage,
} from "./limits-engine";
export type {
  LimitsSnapshot,
  SnapshotRequest,
  BudgetSnapshot,
  RateSnapshot,
  ConcurrencySnapshot,
} from "./limits-snapshot";
export { createMemoryCounterStore } from "./memory-counter-store";
export type { CounterStore, BudgetSpendSource } from "./counter-store";
export { createRequestEstimate, lazyRequestTokens } from "./lazy-token-estimate";
export type { RequestEstimate } from "./lazy-token-estimate";
export { DEFAULT_MAX_OUTPUT_TOKENS, maxOutputTokens } from "./output-tokens";
export { periodBounds } from "./budget-periods";
export { formatResetDuration } from "./duration-format";
