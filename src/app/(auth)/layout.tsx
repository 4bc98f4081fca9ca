import Link from "next/link";
import type { ReactNode } from "react";
import { LogoMark } from "~/components/icons";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col bg-zinc-50">
      <header className="px-6 py-5">
        <Link
          href="/"
          className="inline-flex items-center gap-2 rounded-md text-base font-semibold text-zinc-900"
        >
          <LogoMark className="size-7" />
          Switchyard
        </Link>
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pt-6 pb-16 sm:pt-16">
        {children}
      </main>
    </div>
  );
}
