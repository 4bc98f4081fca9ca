import type { ReactNode } from "react";
import { cx } from "./class-names";

/** A titled white panel: the unit every console page is built from. */
export function Card({
  title,
  description,
  actions,
  tone = "default",
  className,
  children,
  id,
}: {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  tone?: "default" | "danger";
  className?: string;
  children?: ReactNode;
  id?: string;
}) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      className={cx(
        "rounded-lg border bg-white shadow-sm",
        tone === "danger" ? "border-red-200" : "border-zinc-200",
        className,
      )}
    >
      {title || actions ? (
        <header
          className={cx(
            "flex flex-wrap items-start justify-between gap-3 border-b px-5 py-4",
            tone === "danger" ? "border-red-100" : "border-zinc-100",
          )}
        >
          <div className="min-w-0">
            {title ? (
              <h2
                id={headingId}
                className={cx(
                  "text-base font-semibold",
                  tone === "danger" ? "text-red-700" : "text-zinc-900",
                )}
              >
                {title}
              </h2>
            ) : null}
            {description ? <p className="mt-0.5 text-sm text-zinc-600">{description}</p> : null}
          </div>
          {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
        </header>
      ) : null}
      {children ? <div className="px-5 py-4">{children}</div> : null}
    </section>
  );
}
