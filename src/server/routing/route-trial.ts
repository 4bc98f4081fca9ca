import {
  createGateway,
  routingStateFor,
  type ApiKeyRecord,
  type AttemptRecord,
  type Gateway,
  type GatewayPorts,
  type RequestLogEntry,
} from "~/gateway";
import { generateApiKey } from "~/lib/api-key-secret";
import { randomBase62 } from "~/lib/ids";

/**
 * Sends one sample chat request through the real gateway core in process, as an app would, so
 * "try it" in the console exercises exactly what production traffic does: the org's providers
 * and routes, retries, fallbacks and the shared circuit breakers.
 *
 * The request authenticates with a short-lived internal credential: a random key known only to
 * this process, valid for the one request, never stored. The trial gateway shares the process
 * gateway's ports (and so its breakers and latency averages); only key lookup, key usage and the
 * request-log sink are wrapped: the trial key resolves in memory, is never "used" in the
 * database, and its log entry is recorded without a key id and tagged as a console trial (it is
 * real traffic, with real cost, so it is logged), while its attempts are handed back here.
 */

export const TRIAL_SOURCE_METADATA = { source: "console-try" } as const;

/** How long a trial key stays valid: one request, with room for slow upstreams and retries. */
const TRIAL_KEY_TTL_MS = 5 * 60_000;
/** How long to wait for the request's log entry after the answer arrived. */
const LOG_ENTRY_WAIT_MS = 2_000;

export interface RouteTrialRequest {
  orgId: string;
  /** The route (or any model name) to send the request to. */
  model: string;
  prompt: string;
  maxTokens?: number;
  /** Who asks, for the log entry's metadata. */
  actorLabel: string;
  signal?: AbortSignal;
}

export interface RouteTrialResult {
  /** The request's id in the request log. */
  requestId: string;
  status: number;
  /** The answer's text (first choice), null on failure. */
  answer: string | null;
  /** The gateway's error, null on success. */
  error: { code: string | null; message: string } | null;
  /** `x-switchyard-provider` / `-model`: the target that answered (on failure: the last one called). */
  provider: string | null;
  model: string | null;
  /** `x-switchyard-attempts`: upstream calls made. */
  upstreamCalls: number | null;
  /** Every attempt as the request log records it; null for a direct model. */
  attempts: AttemptRecord[] | null;
  latencyMs: number;
  usage: { promptTokens: number; completionTokens: number } | null;
}

export interface RouteTrialRunner {
  run(request: RouteTrialRequest): Promise<RouteTrialResult>;
}

interface Waiter {
  resolve(entry: RequestLogEntry): void;
}

/** A runner over `ports` (the process gateway's, or a test's). */
export function createRouteTrialRunner(ports: GatewayPorts): RouteTrialRunner {
  const trialKeys = new Map<string, ApiKeyRecord>();
  const waiters = new Map<string, Waiter>();
  const trialPorts: GatewayPorts = {
    ...ports,
    apiKeys: {
      findByHash: (hash) => trialKeys.get(hash) ?? null,
    },
    touchKey: () => {},
    // The same breakers and latency averages as the gateway clients call.
    routing: routingStateFor(ports),
    requestLog: {
      record(entry) {
        // The row id may be the gateway's own; the id this runner sent comes back as the client's.
        const waiter =
          (entry.clientRequestId ? waiters.get(entry.clientRequestId) : undefined) ??
          waiters.get(entry.id);
        waiter?.resolve(entry);
        ports.requestLog.record({
          ...entry,
          apiKeyId: null,
          metadata: { ...entry.metadata, ...TRIAL_SOURCE_METADATA },
        });
      },
    },
  };
  const gateway: Gateway = createGateway(trialPorts);
  const clock = ports.clock ?? { now: () => Date.now() };

  return {
    async run(request) {
      const secret = generateApiKey();
      const hash = ports.hashKey(secret);
      const requestId = `try_${randomBase62(20)}`;
      trialKeys.set(hash, {
        id: `console-try:${requestId}`,
        orgId: request.orgId,
        name: "Console trial",
        allowedModels: null,
        metadata: { ...TRIAL_SOURCE_METADATA, actor: request.actorLabel },
        expiresAt: new Date(clock.now() + TRIAL_KEY_TTL_MS),
        revokedAt: null,
      });
      let resolveEntry: (entry: RequestLogEntry) => void = () => {};
      const logged = new Promise<RequestLogEntry>((resolve) => (resolveEntry = resolve));
      waiters.set(requestId, { resolve: resolveEntry });
      const started = clock.now();
      try {
        const response = await gateway.fetch(
          new Request("http://switchyard.internal/v1/chat/completions", {
            method: "POST",
            headers: {
              authorization: `Bearer ${secret}`,
              "content-type": "application/json",
              "x-request-id": requestId,
            },
            body: JSON.stringify({
              model: request.model,
              messages: [{ role: "user", content: request.prompt }],
              ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
            }),
            signal: request.signal,
          }),
        );
        const body = (await response.json().catch(() => null)) as ChatBody | null;
        const latencyMs = Math.max(0, clock.now() - started);
        const entry = await withTimeout(logged, LOG_ENTRY_WAIT_MS);
        const calls = response.headers.get("x-switchyard-attempts");
        return {
          // The request-log row's id (what the Logs page finds it by).
          requestId: entry?.id ?? response.headers.get("x-request-id") ?? requestId,
          status: response.status,
          answer: response.ok ? answerText(body) : null,
          error: response.ok
            ? null
            : {
                code: body?.error?.code ?? null,
                message: body?.error?.message ?? `The gateway answered ${response.status}.`,
              },
          provider: headerText(response.headers.get("x-switchyard-provider")),
          model: headerText(response.headers.get("x-switchyard-model")),
          upstreamCalls: calls === null ? null : Number(calls),
          attempts: entry?.attempts ? [...entry.attempts] : null,
          latencyMs,
          usage:
            body?.usage && typeof body.usage.prompt_tokens === "number"
              ? {
                  promptTokens: body.usage.prompt_tokens,
                  completionTokens: body.usage.completion_tokens ?? 0,
                }
              : null,
        };
      } finally {
        trialKeys.delete(hash);
        waiters.delete(requestId);
      }
    },
  };
}

interface ChatBody {
  choices?: { message?: { content?: unknown } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
  error?: { message?: string; code?: string | null };
}

function answerText(body: ChatBody | null): string | null {
  const content = body?.choices?.[0]?.message?.content;
  return typeof content === "string" ? content : null;
}

/** Header values are percent-encoded beyond printable ASCII (see the core's `headerValue`). */
function headerText(value: string | null): string | null {
  if (value === null) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

const runners = new WeakMap<GatewayPorts, RouteTrialRunner>();

/** The runner over the process gateway's ports (one per ports object, so one trial gateway). */
export async function processRouteTrialRunner(): Promise<RouteTrialRunner> {
  const { getGatewayPorts } = await import("~/server/gateway");
  const ports = await getGatewayPorts();
  let runner = runners.get(ports);
  if (runner === undefined) {
    runner = createRouteTrialRunner(ports);
    runners.set(ports, runner);
  }
  return runner;
}
