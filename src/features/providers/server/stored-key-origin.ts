/**
 * A stored API key is write-only: nobody can read it back. Sending it to another host would undo
 * that (point the provider at a server you control, read the key from the request), so a key is
 * only ever used with the origin (scheme, host, port) it was saved for. Changing the origin
 * means entering the key again.
 */
export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

export const KEY_ORIGIN_MESSAGE =
  "The base URL now points at another host: enter the API key again (a stored key is only sent to the host it was saved for).";
