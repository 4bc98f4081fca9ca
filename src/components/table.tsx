import type { ComponentProps } from "react";
import { cx } from "./class-names";

/**
 * A data table that scrolls horizontally on narrow screens instead of squashing columns. The
 * wrapper is `relative` so absolutely positioned content (screen-reader-only headers) is clipped
 * with the table instead of widening the page.
 */
export function Table({
  className,
  label,
  bare = false,
  children,
  ...props
}: ComponentProps<"table"> & {
  label?: string;
  /** Inside a card: no border or shadow of its own. */
  bare?: boolean;
}) {
  return (
    <div
      className={
        bare
          ? "relative overflow-x-auto"
          : "relative overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-sm"
      }
    >
      <table
        aria-label={label}
        className={cx("min-w-full divide-y divide-zinc-200 text-sm", className)}
        {...props}
      >
        {children}
      </table>
    </div>
  );
}

export function THead({ className, ...props }: ComponentProps<"thead">) {
  return <thead className={cx("bg-zinc-50", className)} {...props} />;
}

export function TBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody className={cx("divide-y divide-zinc-100", className)} {...props} />;
}

export function TR({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cx("align-middle", className)} {...props} />;
}

export function TH({ className, ...props }: ComponentProps<"th">) {
  return (
    <th
      scope="col"
      className={cx(
        "px-4 py-2.5 text-left text-xs font-semibold tracking-wide whitespace-nowrap text-zinc-600 uppercase",
        className,
      )}
      {...props}
    />
  );
}

export function TD({
  className,
  wrap = false,
  ...props
}: ComponentProps<"td"> & {
  /** Let long text (summaries, names) wrap instead of keeping the cell on one line. */
  wrap?: boolean;
}) {
  return (
    <td
      className={cx(
        "px-4 py-3 text-zinc-700",
        wrap ? "whitespace-normal" : "whitespace-nowrap",
        className,
      )}
      {...props}
    />
  );
}
