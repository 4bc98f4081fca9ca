"use client";

import { signOut } from "next-auth/react";
import { cx } from "~/components/class-names";
import { ChevronsUpDownIcon, LogOutIcon } from "~/components/icons";
import { Menu } from "~/components/menu";

function initials(nameOrEmail: string): string {
  const words = nameOrEmail.split(/[\s@._-]+/).filter(Boolean);
  return ((words[0]?.[0] ?? "?") + (words[1]?.[0] ?? "")).toUpperCase();
}

export function Avatar({ label, className }: { label: string; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cx(
        "flex size-8 shrink-0 items-center justify-center rounded-full bg-zinc-200 text-xs font-semibold text-zinc-700",
        className,
      )}
    >
      {initials(label)}
    </span>
  );
}

export function UserMenu({
  user,
  placement = "above",
  compact = false,
}: {
  user: { name: string | null; email: string };
  placement?: "above" | "below";
  compact?: boolean;
}) {
  const display = user.name || user.email;
  return (
    <Menu
      placement={placement}
      align={compact ? "end" : "start"}
      triggerLabel={`Account: ${user.email}`}
      triggerClassName={cx(
        "flex items-center gap-2.5 rounded-md text-left hover:bg-zinc-100",
        compact ? "p-1" : "w-full px-2 py-2",
      )}
      menuClassName={compact ? undefined : "w-full"}
      trigger={
        <>
          <Avatar label={display} />
          {compact ? null : (
            <>
              <span className="min-w-0 flex-1">
                <span className="block truncate text-sm font-medium text-zinc-900">{display}</span>
                {user.name ? (
                  <span className="block truncate text-xs text-zinc-500">{user.email}</span>
                ) : null}
              </span>
              <ChevronsUpDownIcon className="size-4 shrink-0 text-zinc-400" />
            </>
          )}
        </>
      }
      entries={[
        { kind: "label", label: <span className="block truncate">{user.email}</span> },
        { kind: "separator" },
        {
          kind: "action",
          label: "Sign out",
          icon: <LogOutIcon className="size-4 text-zinc-500" />,
          onSelect: () => void signOut({ redirectTo: "/sign-in" }),
        },
      ]}
    />
  );
}
