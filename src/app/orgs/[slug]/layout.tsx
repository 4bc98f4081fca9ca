import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { OrgShell } from "~/features/shell/components/org-shell";
import { callOrRedirect, getServerCaller, getSessionUser, signInHref } from "~/trpc/server";

export const dynamic = "force-dynamic";

export default async function OrgLayout({
  params,
  children,
}: {
  params: Promise<{ slug: string }>;
  children: ReactNode;
}) {
  const { slug } = await params;
  const returnTo = `/orgs/${slug}`;
  if (!(await getSessionUser())) redirect(signInHref(returnTo));

  const caller = await getServerCaller();
  const [me, org, status] = await callOrRedirect(
    () =>
      Promise.all([caller.me.get(), caller.orgs.get({ orgSlug: slug }), caller.system.status()]),
    returnTo,
  );

  return (
    <OrgShell
      org={{ id: org.id, slug: org.slug, name: org.name, role: org.role, scopes: org.scopes }}
      orgs={me.orgs}
      user={{ name: me.name, email: me.email }}
      vector={{ available: status.vectorAvailable, reason: status.vectorUnavailableReason }}
    >
      {children}
    </OrgShell>
  );
}
