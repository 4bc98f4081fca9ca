"use client";

import Link from "next/link";
import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { cx } from "./class-names";

export type MenuEntry =
  | { kind: "link"; label: ReactNode; href: string; icon?: ReactNode; current?: boolean }
  | { kind: "action"; label: ReactNode; onSelect: () => void; icon?: ReactNode; danger?: boolean }
  | { kind: "label"; label: ReactNode }
  | { kind: "separator" };

/**
 * A dropdown menu following the WAI-ARIA menu button pattern: Enter/Space/ArrowDown open it,
 * arrows and Home/End move between items, Escape closes and returns focus to the button.
 */
export function Menu({
  trigger,
  triggerLabel,
  triggerClassName,
  entries,
  align = "start",
  placement = "below",
  menuClassName,
}: {
  trigger: ReactNode;
  triggerLabel?: string;
  triggerClassName?: string;
  entries: MenuEntry[];
  align?: "start" | "end";
  placement?: "below" | "above";
  menuClassName?: string;
}) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const items = useCallback(
    () => Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []),
    [],
  );

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) close(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open, items, close]);

  const onMenuKeyDown = (event: KeyboardEvent) => {
    const list = items();
    const index = list.indexOf(document.activeElement as HTMLElement);
    const focusAt = (i: number) => list[(i + list.length) % list.length]?.focus();
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        focusAt(index + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        focusAt(index - 1);
        break;
      case "Home":
        event.preventDefault();
        focusAt(0);
        break;
      case "End":
        event.preventDefault();
        focusAt(list.length - 1);
        break;
      case "Escape":
        event.preventDefault();
        close(true);
        break;
      case "Tab":
        close(false);
        break;
    }
  };

  const itemClasses =
    "flex w-full items-center gap-2 rounded-md px-2.5 py-2 text-left text-sm outline-none focus-visible:bg-zinc-100 hover:bg-zinc-100 focus:bg-zinc-100";

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={triggerLabel}
        className={triggerClassName}
        onClick={() => setOpen((v) => !v)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        {trigger}
      </button>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          onKeyDown={onMenuKeyDown}
          className={cx(
            "absolute z-40 min-w-56 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg",
            align === "end" ? "right-0" : "left-0",
            placement === "below" ? "top-full mt-1" : "bottom-full mb-1",
            menuClassName,
          )}
        >
          {entries.map((entry, i) => {
            switch (entry.kind) {
              case "separator":
                return <div key={i} role="separator" className="my-1 h-px bg-zinc-100" />;
              case "label":
                return (
                  <div
                    key={i}
                    role="presentation"
                    className="px-2.5 pt-2 pb-1 text-xs font-medium text-zinc-500"
                  >
                    {entry.label}
                  </div>
                );
              case "link":
                return (
                  <Link
                    key={i}
                    href={entry.href}
                    role="menuitem"
                    tabIndex={-1}
                    aria-current={entry.current ? "true" : undefined}
                    className={cx(
                      itemClasses,
                      entry.current ? "font-medium text-zinc-900" : "text-zinc-700",
                    )}
                    onClick={() => close(false)}
                  >
                    {entry.icon}
                    {entry.label}
                  </Link>
                );
              case "action":
                return (
                  <button
                    key={i}
                    type="button"
                    role="menuitem"
                    tabIndex={-1}
                    className={cx(itemClasses, entry.danger ? "text-red-700" : "text-zinc-700")}
                    onClick={() => {
                      close(false);
                      entry.onSelect();
                    }}
                  >
                    {entry.icon}
                    {entry.label}
                  </button>
                );
            }
          })}
        </div>
      ) : null}
    </div>
  );
}
