import type { Metadata } from "next";
import { OrgSettingsView } from "~/features/orgs/components/org-settings-view";
import { callOrRedirect, getServerCaller } from "~/trpc/server";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const caller = await getServerCaller();
  const org = await callOrRedirect(
    () => caller.orgs.get({ orgSlug: slug }),
    `/orgs/${slug}/settings`,
  );
  return <OrgSettingsView createdAt={org.createdAt} />;
}
