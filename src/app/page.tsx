import { redirect } from "next/navigation";
import { callOrRedirect, getServerCaller, getSessionUser } from "~/trpc/server";

export const dynamic = "force-dynamic";

/** Entry point: signed out → sign-in; signed in → the first organization, or create one. */
export default async function HomePage() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  const caller = await getServerCaller();
  const me = await callOrRedirect(() => caller.me.get());
  const first = me.orgs[0];
  redirect(first ? `/orgs/${first.slug}` : "/orgs/new");
}
