"use client";

import { createContext, useContext, useMemo, type ReactNode } from "react";

export interface CurrentOrg {
  id: string;
  slug: string;
  name: string;
  role: string;
  scopes: string[];
}

interface OrgContextValue extends CurrentOrg {
  /** Whether the signed-in member's role grants this scope (controls are hidden or disabled otherwise). */
  can(scope: string): boolean;
}

const OrgContext = createContext<OrgContextValue | null>(null);

export function OrgProvider({ org, children }: { org: CurrentOrg; children: ReactNode }) {
  const value = useMemo<OrgContextValue>(() => {
    const scopes = new Set(org.scopes);
    return { ...org, can: (scope) => scopes.has(scope) };
  }, [org]);
  return <OrgContext.Provider value={value}>{children}</OrgContext.Provider>;
}

/** The organization the console is showing, with the caller's role and scopes in it. */
export function useOrg(): OrgContextValue {
  const value = useContext(OrgContext);
  if (!value) throw new Error("useOrg must be used inside an organization page");
  return value;
}
