import type { Role } from "~/server/db/schema";

/**
 * Every permission in Switchyard is a `resource:action` scope, granted per role in this one table.
 * Viewers read; they never mutate.
 */
export const SCOPES = [
  "org:read",
  "org:update",
  "org:delete",
  "members:read",
  "members:invite",
  "members:update",
  "members:remove",
  "keys:read",
  "keys:create",
  "keys:revoke",
  "audit:read",
  "providers:read",
  "providers:create",
  "providers:update",
  "providers:delete",
  "routes:read",
  "routes:write",
  "policies:read",
  "policies:write",
  "logs:read",
  "usage:read",
  "limits:read",
  "limits:write",
  "pricing:update",
  "settings:update",
  "jobs:read",
  "jobs:run",
  "knowledge:read",
  "knowledge:write",
  "security:read",
] as const;
export type Scope = (typeof SCOPES)[number];

const READ: Scope[] = [
  "org:read",
  "members:read",
  "keys:read",
  "audit:read",
  "providers:read",
  "routes:read",
  "policies:read",
  "logs:read",
  "usage:read",
  "limits:read",
  "jobs:read",
  "knowledge:read",
];

export const ROLE_SCOPES: Record<Role, ReadonlySet<Scope>> = {
  owner: new Set<Scope>(SCOPES),
  admin: new Set<Scope>([
    ...READ,
    "org:update",
    "members:invite",
    "members:update",
    "members:remove",
    "keys:create",
    "keys:revoke",
    "providers:create",
    "providers:update",
    "providers:delete",
    "routes:write",
    "policies:write",
    "limits:write",
    "pricing:update",
    "settings:update",
    "jobs:run",
    "knowledge:write",
    "security:read",
  ]),
  // Developers build the apps that use knowledge bases, so they manage their documents too.
  developer: new Set<Scope>([...READ, "keys:create", "keys:revoke", "knowledge:write"]),
  viewer: new Set<Scope>(READ),
};

export function hasScope(role: Role, scope: Scope): boolean {
  return ROLE_SCOPES[role].has(scope);
}

export function scopesOf(role: Role): Scope[] {
  return SCOPES.filter((s) => ROLE_SCOPES[role].has(s));
}

/** Only owners may grant or take away ownership; admins manage admin and below. */
export function canAssignRole(actorRole: Role, targetRole: Role): boolean {
  if (actorRole === "owner") return true;
  if (actorRole === "admin") return targetRole !== "owner";
  return false;
}
