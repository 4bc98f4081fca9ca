import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeftIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { LogDetail } from "~/features/logs/components/log-detail";
import { callOrRedirect, getServerCaller } from "~/trpc/server";

export const metadata: Metadata = { title: "Request" };

function decodeId(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

export default async function LogPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const caller = await getServerCaller();
  const log = await callOrRedirect(
    () => caller.logs.get({ orgSlug: slug, id: decodeId(id) }),
    `/orgs/${slug}/logs/${id}`,
  );
  return (
    <>
      <Link
        href={`/orgs/${slug}/logs`}
        className="mb-3 inline-flex items-center gap-1 text-sm font-medium text-zinc-600 hover:text-zinc-900"
      >
        <ChevronLeftIcon className="size-4" />
        Logs
      </Link>
      <PageHeader title="Request" />
      <div className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm">
        <LogDetail log={log} orgSlug={slug} />
      </div>
    </>
  );
}
