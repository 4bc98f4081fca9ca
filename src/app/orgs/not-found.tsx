import Link from "next/link";
import { buttonClasses } from "~/components/button";

export default function OrgNotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-6 text-center">
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-900">
        Organization not found
      </h1>
      <p className="mt-2 max-w-sm text-sm text-zinc-600">
        It does not exist, or you are not a member. Ask one of its admins for an invite.
      </p>
      <Link href="/" className={buttonClasses("secondary") + " mt-6"}>
        Go to your organizations
      </Link>
    </main>
  );
}
