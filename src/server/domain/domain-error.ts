/**
 * The one error type domain functions throw. Edges translate it: tRPC → TRPCError with the same
 * code, CLI → message + non-zero exit. Messages are safe to show to the caller.
 */
export type DomainErrorCode =
  | "BAD_REQUEST"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "CONFLICT"
  | "UNAUTHORIZED"
  | "TOO_MANY_REQUESTS"
  | "PRECONDITION_FAILED";

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    public readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
}
