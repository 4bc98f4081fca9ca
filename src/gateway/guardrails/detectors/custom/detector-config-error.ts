/**
 * A custom detector's configuration is unusable (pattern does not compile, is too long, or can
 * backtrack catastrophically). Thrown at creation time — when a policy is saved — never while
 * scanning, so callers can map it to a 400 / TRPCError("BAD_REQUEST") with this message.
 */
export class DetectorConfigError extends Error {
  override name = "DetectorConfigError";
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}
