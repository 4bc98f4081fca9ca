import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LogoMark } from "~/components/icons";
import { CreateOrgForm } from "~/features/orgs/components/create-org-form";
import { UserMenu } from "~/features/shell/components/user-menu";
import { callOrRedirect, getServerCaller, getSessionUser, signInHref } from "~/trpc/server";

export const metadata: Metadata = { title: "New organization" };
export const dynamic = "force-dynamic";

export default async function NewOrgPage() {
  if (!(await getSessionUser())) redirect(signInHref("/orgs/new"));
  const caller = await getServerCaller();
  const me = await callOrRedirect(() => caller.me.get(), "/orgs/new");
  const back = me.orgs[0];

  return (
    <div className="min-h-dvh">
      <header className="flex items-center justify-between border-b border-zinc-200 bg-white px-4 py-2.5 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-semibold text-zinc-900">
          <LogoMark className="size-7" />
          Switchyard
        </Link>
        <UserMenu user={{ name: me.name, email: me.email }} placement="below" compact />
      </header>
      <main className="flex justify-center px-4 pt-10 pb-16 sm:pt-16">
        <div className="w-full max-w-md">
          {back ? (
            <Link
              href={`/orgs/${back.slug}`}
              className="mb-4 inline-block text-sm font-medium text-zinc-600 hover:text-zinc-900"
            >
              ← Back to {back.name}
            </Link>
          ) : null}
          <div className="rounded-xl border border-zinc-200 bg-white px-6 py-7 shadow-sm sm:px-8">
            <h1 className="text-xl font-semibold tracking-tight text-zinc-900">
              {me.orgs.length === 0 ? "Create your organization" : "New organization"}
            </h1>
            <p className="mt-1.5 text-sm text-zinc-600">
              {me.orgs.length === 0
                ? "You are not a member of any organization yet. Create one to get API keys, or open an invite link from your team."
                : "A separate workspace with its own members, keys and audit log. You will be its owner."}
            </p>
            <div className="mt-6">
              <CreateOrgForm />
            </div>
          </div>
        </div>
      </main>
    </div>
  );
}
