import type { ComponentProps } from "react";
import { cx } from "./class-names";
import { controlClasses } from "./input";

/** A native select (keyboard and screen-reader behaviour for free), styled like the inputs. */
export function Select({ className, children, ...props }: ComponentProps<"select">) {
  return (
    <div className={cx("relative", className)}>
      <select className={cx(controlClasses, "h-9 appearance-none py-0 pr-8")} {...props}>
        {children}
      </select>
      <svg
        viewBox="0 0 20 20"
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-zinc-500"
        fill="currentColor"
      >
        <path d="M5.2 7.2a.75.75 0 0 1 1.06.02L10 11.17l3.74-3.95a.75.75 0 1 1 1.08 1.04l-4.25 4.5a.75.75 0 0 1-1.08 0l-4.25-4.5a.75.75 0 0 1 .02-1.06z" />
      </svg>
    </div>
  );
}
