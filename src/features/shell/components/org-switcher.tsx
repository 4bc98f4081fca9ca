"use client";

import { CheckIcon, ChevronsUpDownIcon, PlusIcon } from "~/components/icons";
import { Menu, type MenuEntry } from "~/components/menu";

export function OrgMark({ name }: { name: string }) {
  return (
    <span
      aria-hidden="true"
      className="flex size-7 shrink-0 items-center justify-center rounded-md bg-brand-100 text-xs font-semibold text-brand-800"
    >
      {name.trim()[0]?.toUpperCase() ?? "?"}
    </span>
  );
}

export function OrgSwitcher({
  current,
  orgs,
}: {
  current: { slug: string; name: string; role: string };
  orgs: { slug: string; name: string; role: string }[];
}) {
  const entries: MenuEntry[] = [
    { kind: "label", label: "Organizations" },
    ...orgs.map<MenuEntry>((org) => ({
      kind: "link",
      href: `/orgs/${org.slug}`,
      current: org.slug === current.slug,
      label: (
        <span className="flex min-w-0 flex-1 items-center gap-2">
          <OrgMark name={org.name} />
          <span className="min-w-0 flex-1 truncate">{org.name}</span>
          {org.slug === current.slug ? <CheckIcon className="size-4 text-brand-600" /> : null}
        </span>
      ),
    })),
    { kind: "separator" },
    {
      kind: "link",
      href: "/orgs/new",
      label: "New organization",
      icon: <PlusIcon className="size-4 text-zinc-500" />,
    },
  ];
  return (
    <Menu
      triggerLabel={`Organization: ${current.name}. Switch organization`}
      triggerClassName="flex w-full items-center gap-2.5 rounded-md border border-zinc-200 bg-white px-2 py-1.5 text-left shadow-sm hover:bg-zinc-50"
      menuClassName="w-full"
      trigger={
        <>
          <OrgMark name={current.name} />
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-medium text-zinc-900">{current.name}</span>
            <span className="block truncate text-xs text-zinc-500 capitalize">{current.role}</span>
          </span>
          <ChevronsUpDownIcon className="size-4 shrink-0 text-zinc-400" />
        </>
      }
      entries={entries}
    />
  );
}
