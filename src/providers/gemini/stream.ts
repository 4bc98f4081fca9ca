import { ProviderError } from "../types";
import { SseParser } from "./sse-parser";
import { StreamTranslator, type StreamContext } from "./stream-translator";

/**
 * The upstream's SSE bytes → OpenAI SSE bytes, pulled: upstream is read only when our reader
 * asks for more (so backpressure reaches the socket), and each read's complete events are
 * translated and passed on at once — nothing waits for the end of the answer. Cancelling the
 * returned stream cancels the upstream one (which aborts the request). Any failure — the
 * connection dying, an error event, a truncated answer — errors the returned stream with a
 * ProviderError.
 */
export function translateStream(
  upstream: ReadableStream<Uint8Array>,
  context: StreamContext,
): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  const parser = new SseParser();
  const translator = new StreamTranslator(context);
  const encoder = new TextEncoder();
  /** A failure found after some output of the same read: reported on the next pull. */
  let failure: { error: unknown } | null = null;

  /** Translates events until one fails: what came before the failure still goes out. */
  const translate = (events: string[]): string => {
    let out = "";
    for (const data of events) {
      try {
        out += translator.event(data);
      } catch (error) {
        failure = { error };
        break;
      }
    }
    return out;
  };

  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown) => {
    reader.cancel(error).catch(() => {});
    controller.error(asStreamError(error));
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            if (failure) return fail(controller, failure.error);
            const { done, value } = await reader.read();
            let out: string;
            if (done) {
              out = translate(parser.end());
              if (!failure) {
                controller.enqueue(encoder.encode(out + translator.end()));
                controller.close();
                return;
              }
            } else {
              out = translate(parser.push(value));
            }
            if (out !== "") {
              controller.enqueue(encoder.encode(out));
              return;
            }
          }
        } catch (err) {
          fail(controller, err);
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function asStreamError(err: unknown): unknown {
  if (err instanceof ProviderError) return err;
  if (err instanceof Error && err.name === "AbortError") return err;
  return new ProviderError({
    message: "the upstream stream failed",
    status: 502,
    kind: "protocol",
    raw: err instanceof Error ? err.message : String(err),
  });
}
