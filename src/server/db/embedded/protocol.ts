/** Messages between the server and its embedded-database process (over the fork IPC channel). */

export interface EmbeddedDbReady {
  type: "ready";
  host: string;
  port: number;
  location: string;
  vectorAvailable: boolean;
  vectorUnavailableReason?: string;
}

export interface EmbeddedDbFailed {
  type: "failed";
  message: string;
}

export type EmbeddedDbMessage = EmbeddedDbReady | EmbeddedDbFailed;

/** Environment variable carrying the data dir to the child (it reads nothing else from env). */
export const EMBEDDED_DB_DATA_DIR_ENV = "SWITCHYARD_EMBEDDED_DB_DATA_DIR";

export function isEmbeddedDbMessage(value: unknown): value is EmbeddedDbMessage {
  const type = (value as { type?: unknown } | null)?.type;
  return type === "ready" || type === "failed";
}
