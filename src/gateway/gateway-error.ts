/**
 * The one error type of the API. Rendered at the edge in OpenAI's shape
 * `{ "error": { "message", "type", "param", "code" } }` so OpenAI SDKs surface it unchanged.
 */

export type GatewayErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "server_error";

export interface GatewayErrorBody {
  error: { message: string; type: GatewayErrorType; param: string | null; code: string | null };
}

function typeForStatus(status: number): GatewayErrorType {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  // 404 included: OpenAI reports unknown URLs and models as invalid requests.
  return "invalid_request_error";
}

export class GatewayError extends Error {
  override name = "GatewayError";
  readonly type: GatewayErrorType;
  /** Extra response headers (e.g. `Allow` on 405, `Retry-After` on 429). */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    options: { type?: GatewayErrorType; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.type = options.type ?? typeForStatus(status);
    this.headers = options.headers;
  }

  toBody(): GatewayErrorBody {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }
}

/** What a client sees for a fault that is not a GatewayError: no stack, no internals. */
export function internalError(): GatewayError {
  return new GatewayError(
    "internal_error",
    500,
    "The server had an error while processing your request. Retry, and quote the x-request-id header if it persists.",
  );
}
