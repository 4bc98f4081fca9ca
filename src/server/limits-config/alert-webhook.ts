import { Agent, fetch as undiciFetch } from "undici";
import { guardedLookup, PRIVATE_UPSTREAM_CODE } from "~/lib/net/public-address";
import { SIGNATURE_HEADER, signWebhookBody } from "./webhook-signing";
import { webhookUrlProblem, type WebhookHostResolver } from "./webhook-url-policy";

/** The slice of `fetch` a webhook send needs (tests pass the global fetch or a fake). */
export type WebhookFetch = (
  url: string,
  init: {
    method: "POST";
    headers: Record<string, string>;
    body: string;
    signal: AbortSignal;
    redirect: "manual";
  },
) => Promise<{ status: number; body: { cancel(): Promise<void> } | null }>;

export interface WebhookSendOptions {
  /** The org's signing secret (see webhook-signing.ts). */
  secret: string;
  allowPrivate: boolean;
  fetch?: WebhookFetch;
  resolve?: WebhookHostResolver;
  /** Per attempt (default 5 s). */
  timeoutMs?: number;
  /** Pause before the one retry (default 500 ms). */
  retryDelayMs?: number;
  now?: () => number;
}

export type WebhookOutcome =
  { status: "sent"; httpStatus: number } | { status: "failed"; error: string };

const AGENT_CONNECT_TIMEOUT_MS = 5_000;

// Two dispatchers: the public-only one resolves names through `guardedLookup`, which refuses a
// private answer on every connection, so the address checked is the address connected to.
const state = globalThis as unknown as {
  __switchyardWebhookAgents?: { publicOnly: Agent; any: Agent };
};

function agents() {
  state.__switchyardWebhookAgents ??= {
    publicOnly: new Agent({
      connect: { lookup: guardedLookup, timeout: AGENT_CONNECT_TIMEOUT_MS },
    }),
    any: new Agent({ connect: { timeout: AGENT_CONNECT_TIMEOUT_MS } }),
  };
  return state.__switchyardWebhookAgents;
}

/** undici's fetch on the matching dispatcher (not the global fetch, which Next.js patches). */
function defaultFetch(allowPrivate: boolean): WebhookFetch {
  const dispatcher = allowPrivate ? agents().any : agents().publicOnly;
  return (url, init) => undiciFetch(url, { ...init, dispatcher });
}

/** Why an attempt failed, and whether trying again could help. */
type AttemptResult = WebhookOutcome & { retry?: boolean };

function causeCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.cause?.code ?? e?.code;
}

async function attempt(
  url: string,
  body: string,
  options: WebhookSendOptions,
  send: WebhookFetch,
): Promise<AttemptResult> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const timestamp = Math.floor((options.now?.() ?? Date.now()) / 1000);
  try {
    const res = await send(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Switchyard-Webhook/1",
        [SIGNATURE_HEADER]: signWebhookBody(options.secret, body, timestamp),
      },
      body,
      signal: controller.signal,
      // A redirect could point anywhere (an internal address among others): never followed.
      redirect: "manual",
    });
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300) return { status: "sent", httpStatus: res.status };
    if (res.status >= 300 && res.status < 400) {
      return { status: "failed", error: `HTTP ${res.status}: redirects are not followed` };
    }
    return {
      status: "failed",
      error: `HTTP ${res.status}`,
      retry: res.status >= 500 || res.status === 429,
    };
  } catch (err) {
    if (controller.signal.aborted) {
      return { status: "failed", error: `timed out after ${timeoutMs} ms`, retry: true };
    }
    if (causeCode(err) === PRIVATE_UPSTREAM_CODE) {
      return { status: "failed", error: "refused: the host resolves to a non-public address" };
    }
    const code = causeCode(err);
    return {
      status: "failed",
      error: code ? `connection failed (${code})` : "connection failed",
      retry: true,
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * POSTs a signed JSON body to a webhook URL: checks the URL first (no connection at all when it is
 * refused), 5 s per attempt, one retry on network errors, timeouts, 429 and 5xx. Never throws.
 */
export async function sendWebhook(
  url: string,
  body: string,
  options: WebhookSendOptions,
): Promise<WebhookOutcome> {
  try {
    const problem = await webhookUrlProblem(url, {
      allowPrivate: options.allowPrivate,
      resolve: options.resolve,
    });
    if (problem) return { status: "failed", error: problem };
    const send = options.fetch ?? defaultFetch(options.allowPrivate);
    const first = await attempt(url, body, options, send);
    if (first.status === "sent" || !first.retry) return strip(first);
    await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 500));
    return strip(await attempt(url, body, options, send));
  } catch (err) {
    return { status: "failed", error: err instanceof Error ? err.message : "send failed" };
  }
}

function strip(result: AttemptResult): WebhookOutcome {
  return result.status === "sent"
    ? { status: "sent", httpStatus: result.httpStatus }
    : { status: "failed", error: result.error };
}
