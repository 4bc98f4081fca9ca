import Link from "next/link";
import { buttonClasses } from "~/components/button";
import { LogoMark } from "~/components/icons";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-6 text-center">
      <LogoMark className="size-10" />
      <p className="mt-6 text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight text-zinc-900">Page not found</h1>
      <p className="mt-2 max-w-sm text-sm text-zinc-600">
        This page does not exist, or it belongs to an organization you are not a member of.
      </p>
      <Link href="/" className={buttonClasses("secondary") + " mt-6"}>
        Back to the console
      </Link>
    </main>
  );
}
