import type { GatewayContext } from "../context";
import { guardSseStream } from "../guardrails/policy";
import { contentPolicyError } from "./guard-input";

/**
 * Guardrails on the answer: output policies and placeholder restoring, for a whole answer and
 * for a stream. Only called when the input step left work for the answer (`ctx.guard.output`);
 * every other answer is sent exactly as before.
 */

/** The answer for the client and for the log; throws `content_policy_violation` on a block. */
export function guardAnswer(ctx: GatewayContext, text: string): { client: string; log: string } {
  const answer = ctx.guard!.output!.answer(text);
  if (answer.block !== null) throw contentPolicyError(answer.block);
  return answer;
}

/**
 * The upstream stream with output guardrails applied (the relay runs over it). Hits are added to
 * the context as they are found, so the request log (written when the stream ends) has them all;
 * a block errors the stream with `content_policy_violation`, which the relay sends as its final
 * error event.
 */
export function guardStream(
  ctx: GatewayContext,
  upstream: ReadableStream<Uint8Array>,
): ReadableStream<Uint8Array> {
  return guardSseStream(upstream, ctx.guard!.output!, contentPolicyError);
}
