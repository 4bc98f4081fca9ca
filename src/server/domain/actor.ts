import type { ActorType } from "~/server/db/schema";

/** Who performs a mutation: a signed-in user (console) or the CLI. Recorded in the audit log. */
export interface Actor {
  type: ActorType;
  /** User id for `user` actors. */
  id: string | null;
  /** Email for users, `cli` or `system` otherwise. */
  label: string;
}

export const CLI_ACTOR: Actor = { type: "cli", id: null, label: "cli" };

export function userActor(user: { id: string; email: string }): Actor {
  return { type: "user", id: user.id, label: user.email };
}
