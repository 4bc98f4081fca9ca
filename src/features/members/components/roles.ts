import { canAssignRole } from "~/server/auth/scopes";

export type MemberRole = "owner" | "admin" | "developer" | "viewer";

export const ROLE_OPTIONS: { value: MemberRole; label: string; description: string }[] = [
  {
    value: "owner",
    label: "Owner",
    description: "Everything, including deleting the organization",
  },
  { value: "admin", label: "Admin", description: "Manage members, keys and settings" },
  { value: "developer", label: "Developer", description: "Create and revoke API keys" },
  { value: "viewer", label: "Viewer", description: "Read-only access" },
];

/** Roles the signed-in member may hand out (admins cannot create owners). */
export function assignableRoles(actorRole: string) {
  return ROLE_OPTIONS.filter((r) => canAssignRole(actorRole as MemberRole, r.value));
}
