import type { modelPrices } from "~/server/db/schema";

export interface ModelPriceView {
  id: string;
  model: string;
  /** Micro-dollars per million tokens. */
  inputMicrosPerMTok: bigint;
  outputMicrosPerMTok: bigint;
  /** null: cached prompt tokens cost the input price. */
  cachedInputMicrosPerMTok: bigint | null;
  createdAt: Date;
}

export function toModelPriceView(row: typeof modelPrices.$inferSelect): ModelPriceView {
  return {
    id: row.id,
    model: row.model,
    inputMicrosPerMTok: row.inputMicrosPerMTok,
    outputMicrosPerMTok: row.outputMicrosPerMTok,
    cachedInputMicrosPerMTok: row.cachedInputMicrosPerMTok,
    createdAt: row.createdAt,
  };
}

/** `150000n` → `"0.15"`: micro-dollars as a plain dollar amount, no trailing zeros. */
export function microsToDollarText(micros: bigint): string {
  const whole = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}
