import { SseParser, type SseEvent } from "./sse-parser";
import { StreamTranslator, type StreamOptions } from "./stream-translator";

const encoder = new TextEncoder();

/**
 * Translates an Anthropic SSE byte stream into an OpenAI one, pull by pull: upstream is read only
 * when the consumer wants more (the returned stream queues nothing ahead of its reader), so
 * backpressure reaches the socket, and cancelling it cancels the upstream request.
 *
 * Resolves once the first OpenAI chunk is ready (after `message_start`): a stream that fails
 * before that — e.g. `overloaded_error` as its first event — rejects instead, while nothing has
 * been sent and the gateway can still try another target. Later failures (an `event: error`, the
 * connection dying, an end without `message_stop`) error the returned stream with a ProviderError
 * after everything translated before them has been passed on, however the bytes were chunked; it
 * never ends cleanly on an incomplete answer. Once the answer is complete, a failure of the
 * connection's remaining bytes is ignored.
 */
export async function translateStream(
  upstream: ReadableStream<Uint8Array>,
  options: StreamOptions,
): Promise<ReadableStream<Uint8Array>> {
  const reader = upstream.getReader();
  const parser = new SseParser();
  const translator = new StreamTranslator(options);
  let upstreamDone = false;

  /** A failure met after some output of the same upstream chunk: thrown once that is passed on. */
  let deferred: unknown = null;

  const translate = (events: SseEvent[]): string => {
    let text = "";
    for (const event of events) {
      try {
        text += translator.translate(event);
      } catch (err) {
        if (text === "") throw err;
        deferred = err;
        break;
      }
    }
    return text;
  };

  /** Reads upstream until there is output; null once it ended (complete). */
  const read = async (): Promise<Uint8Array | null> => {
    while (!upstreamDone) {
      if (deferred !== null) throw deferred;
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (err) {
        if (!translator.finished) throw err;
        upstreamDone = true;
        break;
      }
      let text: string;
      if (result.done) {
        text = translate(parser.end());
        if (deferred === null) {
          try {
            translator.end();
            upstreamDone = true;
          } catch (err) {
            if (text === "") throw err;
            deferred = err;
          }
        }
      } else {
        text = translate(parser.push(result.value));
      }
      if (text !== "") return encoder.encode(text);
    }
    return null;
  };

  const next = async (): Promise<Uint8Array | null> => {
    try {
      return await read();
    } catch (err) {
      // A failure of ours (an error event, a malformed event) must close the upstream request.
      upstreamDone = true;
      reader.cancel(err).catch(() => {});
      throw err;
    }
  };

  let pending = await next();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const chunk = pending ?? (await next());
        pending = null;
        if (chunk === null) controller.close();
        else controller.enqueue(chunk);
      },
      cancel(reason) {
        upstreamDone = true;
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
