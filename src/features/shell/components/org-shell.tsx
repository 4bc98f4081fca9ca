"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { cx } from "~/components/class-names";
import {
  HomeIcon,
  KeyIcon,
  LogoMark,
  MenuIcon,
  ScrollIcon,
  SettingsIcon,
  UsersIcon,
  XIcon,
  LogsIcon,
  ProvidersIcon,
  RoutesIcon,
} from "~/components/icons";
import { JobsIcon } from "~/features/jobs/components/jobs-icon";
import { KnowledgeIcon } from "~/features/knowledge/components/knowledge-icon";
import { PoliciesIcon } from "~/features/policies/components/policies-icon";
import { LimitsIcon } from "~/features/limits/components/limits-icon";
import { UsageIcon } from "~/features/usage/components/usage-icon";
import { SecurityIcon } from "~/features/security/components/security-icon";
import { OrgProvider, type CurrentOrg } from "./org-context";
import { OrgSwitcher } from "./org-switcher";
import { UserMenu } from "./user-menu";
import { VectorNotice } from "./vector-notice";

interface NavItem {
  label: string;
  href: string;
  icon: ReactNode;
  /** Shown only when the member's role has this scope. */
  scope?: string;
}

function navItems(slug: string): NavItem[] {
  const base = `/orgs/${slug}`;
  return [
    { label: "Overview", href: base, icon: <HomeIcon /> },
    { label: "API keys", href: `${base}/keys`, icon: <KeyIcon />, scope: "keys:read" },
    {
      label: "Providers",
      href: `${base}/providers`,
      icon: <ProvidersIcon />,
      scope: "providers:read",
    },
    { label: "Routes", href: `${base}/routes`, icon: <RoutesIcon />, scope: "routes:read" },
    { label: "Policies", href: `${base}/policies`, icon: <PoliciesIcon />, scope: "policies:read" },
    {
      label: "Knowledge",
      href: `${base}/knowledge`,
      icon: <KnowledgeIcon />,
      scope: "knowledge:read",
    },
    { label: "Logs", href: `${base}/logs`, icon: <LogsIcon />, scope: "logs:read" },
    { label: "Usage", href: `${base}/usage`, icon: <UsageIcon />, scope: "usage:read" },
    {
      label: "Limits & budgets",
      href: `${base}/limits`,
      icon: <LimitsIcon />,
      scope: "limits:read",
    },
    { label: "Members", href: `${base}/members`, icon: <UsersIcon />, scope: "members:read" },
    { label: "Audit log", href: `${base}/audit`, icon: <ScrollIcon />, scope: "audit:read" },
    {
      label: "Security",
      href: `${base}/security`,
      icon: <SecurityIcon />,
      scope: "security:read",
    },
    { label: "Jobs", href: `${base}/jobs`, icon: <JobsIcon />, scope: "jobs:read" },
    { label: "Settings", href: `${base}/settings`, icon: <SettingsIcon /> },
  ];
}

function SidebarContents({
  org,
  orgs,
  user,
  pathname,
}: {
  org: CurrentOrg;
  orgs: { slug: string; name: string; role: string }[];
  user: { name: string | null; email: string };
  pathname: string;
}) {
  const scopes = new Set(org.scopes);
  const items = navItems(org.slug).filter((item) => !item.scope || scopes.has(item.scope));
  return (
    <div className="flex h-full flex-col gap-4 px-3 py-4">
      <Link
        href="/"
        className="flex items-center gap-2 rounded-md px-2 text-base font-semibold text-zinc-900"
      >
        <LogoMark className="size-7" />
        Switchyard
      </Link>
      <OrgSwitcher current={org} orgs={orgs} />
      <nav aria-label="Organization" className="flex-1">
        <ul className="space-y-0.5">
          {items.map((item) => {
            const active =
              item.href === `/orgs/${org.slug}`
                ? pathname === item.href
                : pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={active ? "page" : undefined}
                  className={cx(
                    "flex items-center gap-2.5 rounded-md px-2.5 py-2 text-sm font-medium transition-colors",
                    active
                      ? "bg-brand-50 text-brand-700"
                      : "text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900",
                  )}
                >
                  <span className={active ? "text-brand-600" : "text-zinc-400"}>{item.icon}</span>
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="border-t border-zinc-200 pt-3">
        <UserMenu user={user} />
      </div>
    </div>
  );
}

/**
 * The console frame around every organization page: sidebar (a drawer on small screens) with the
 * org switcher, navigation and user menu, and instance-wide notices above the page.
 */
export function OrgShell({
  org,
  orgs,
  user,
  vector,
  children,
}: {
  org: CurrentOrg;
  orgs: { slug: string; name: string; role: string }[];
  user: { name: string | null; email: string };
  vector: { available: boolean; reason: string | null };
  children: ReactNode;
}) {
  const pathname = usePathname();
  // The drawer belongs to the page it was opened on: navigating closes it.
  const [drawerPath, setDrawerPath] = useState<string | null>(null);
  const drawerOpen = drawerPath === pathname;
  const setDrawerOpen = (open: boolean) => setDrawerPath(open ? pathname : null);
  useEffect(() => {
    if (!drawerOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setDrawerPath(null);
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [drawerOpen]);

  return (
    <OrgProvider org={org}>
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <div className="min-h-dvh lg:flex">
        <aside className="hidden w-64 shrink-0 border-r border-zinc-200 bg-white lg:block">
          <div className="sticky top-0 h-dvh overflow-y-auto">
            <SidebarContents org={org} orgs={orgs} user={user} pathname={pathname} />
          </div>
        </aside>
        <div className="min-w-0 flex-1">
          <header className="sticky top-0 z-30 flex items-center gap-3 border-b border-zinc-200 bg-white/95 px-4 py-2.5 backdrop-blur lg:hidden">
            <button
              type="button"
              onClick={() => setDrawerOpen(true)}
              className="-ml-1 rounded-md p-1.5 text-zinc-600 hover:bg-zinc-100"
              aria-label="Open navigation"
              aria-expanded={drawerOpen}
            >
              <MenuIcon className="size-5" />
            </button>
            <Link href="/" className="flex items-center gap-2 font-semibold text-zinc-900">
              <LogoMark className="size-6" />
              <span className="sr-only sm:not-sr-only">Switchyard</span>
            </Link>
            <span aria-hidden="true" className="text-zinc-300">
              /
            </span>
            <span className="min-w-0 flex-1 truncate text-sm font-medium text-zinc-700">
              {org.name}
            </span>
            <UserMenu user={user} placement="below" compact />
          </header>

          {drawerOpen ? (
            <div
              className="fixed inset-0 z-40 lg:hidden"
              role="dialog"
              aria-modal="true"
              aria-label="Navigation"
            >
              <div
                className="absolute inset-0 bg-zinc-900/40"
                onClick={() => setDrawerOpen(false)}
                aria-hidden="true"
              />
              <div className="absolute inset-y-0 left-0 w-72 max-w-[85%] bg-white shadow-xl">
                <button
                  type="button"
                  onClick={() => setDrawerOpen(false)}
                  className="absolute top-4 right-3 rounded-md p-1 text-zinc-500 hover:bg-zinc-100"
                  aria-label="Close navigation"
                >
                  <XIcon className="size-5" />
                </button>
                <SidebarContents org={org} orgs={orgs} user={user} pathname={pathname} />
              </div>
            </div>
          ) : null}

          <main id="main" className="mx-auto w-full max-w-6xl px-4 py-8 sm:px-6 lg:px-10">
            {vector.available ? null : <VectorNotice reason={vector.reason} />}
            {children}
          </main>
        </div>
      </div>
    </OrgProvider>
  );
}
