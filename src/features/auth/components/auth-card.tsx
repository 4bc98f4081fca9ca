import type { ReactNode } from "react";

/** The centered card every signed-out page (sign-in, sign-up, invite) is drawn in. */
export function AuthCard({
  title,
  description,
  children,
  footer,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="w-full max-w-sm">
      <div className="rounded-xl border border-zinc-200 bg-white px-6 py-7 shadow-sm sm:px-8">
        <h1 className="text-xl font-semibold tracking-tight text-zinc-900">{title}</h1>
        {description ? <p className="mt-1.5 text-sm text-zinc-600">{description}</p> : null}
        <div className="mt-6">{children}</div>
      </div>
      {footer ? <div className="mt-5 text-center text-sm text-zinc-600">{footer}</div> : null}
    </div>
  );
}
