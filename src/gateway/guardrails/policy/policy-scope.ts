import type { PolicyScope } from "./schema";

/** What a policy's scope is matched against. */
export interface ScopeInputs {
  keyId: string;
  /** The request's `model` as the client sent it (a route name for routes). */
  model: string;
  keyMetadata: Readonly<Record<string, string>>;
  requestMetadata: Readonly<Record<string, string>> | null;
}

/** True when every condition the scope sets holds (an empty scope matches every request). */
export function scopeMatches(scope: PolicyScope, inputs: ScopeInputs): boolean {
  if (scope.keys !== undefined && !scope.keys.includes(inputs.keyId)) return false;
  if (scope.routes !== undefined && !scope.routes.includes(inputs.model)) return false;
  if (scope.models !== undefined && !scope.models.includes(inputs.model)) return false;
  if (scope.metadata !== undefined) {
    for (const [name, value] of Object.entries(scope.metadata)) {
      // The request's own metadata first, then the key's (a key can carry a team or env tag).
      const actual = inputs.requestMetadata?.[name] ?? inputs.keyMetadata[name];
      if (actual !== value) return false;
    }
  }
  return true;
}
