import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ButtonLink } from "~/components/button";
import { Card } from "~/components/card";
import { ArrowRightIcon, KeyIcon, UsersIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { Quickstart } from "~/features/api-keys/components/quickstart";
import { callOrRedirect, getPublicOrigin, getServerCaller } from "~/trpc/server";

export const metadata: Metadata = { title: "Overview" };

function Stat({
  label,
  value,
  href,
  icon,
  linkLabel,
}: {
  label: string;
  value: ReactNode;
  href: string;
  icon: ReactNode;
  linkLabel: string;
}) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-5">
      <div className="flex items-center justify-between">
        <dt className="text-sm font-medium text-zinc-600">{label}</dt>
        <span className="text-zinc-400">{icon}</span>
      </div>
      <dd className="mt-2 text-3xl font-semibold tracking-tight text-zinc-900">{value}</dd>
      <Link
        href={href}
        className="mt-3 inline-flex items-center gap-1 rounded text-sm font-medium text-brand-700 hover:underline"
      >
        {linkLabel}
        <ArrowRightIcon className="size-3.5" />
      </Link>
    </div>
  );
}

export default async function OverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const caller = await getServerCaller();
  const [org, origin] = await Promise.all([
    callOrRedirect(() => caller.orgs.get({ orgSlug: slug }), `/orgs/${slug}`),
    getPublicOrigin(),
  ]);
  const canCreateKey = org.scopes.includes("keys:create");
  const base = `/orgs/${org.slug}`;

  return (
    <>
      <PageHeader
        title={org.name}
        description="Point any OpenAI-compatible client at Switchyard and manage who can use it."
        actions={
          canCreateKey ? (
            <ButtonLink href={`${base}/keys?create=1`} icon={<KeyIcon />}>
              Create API key
            </ButtonLink>
          ) : null
        }
      />
      <dl className="mb-8 grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-3">
        <Stat
          label="Members"
          value={org.memberCount}
          href={`${base}/members`}
          icon={<UsersIcon className="size-5" />}
          linkLabel={org.scopes.includes("members:invite") ? "Invite teammates" : "View members"}
        />
        <Stat
          label="API keys"
          value={org.keyCount}
          href={`${base}/keys`}
          icon={<KeyIcon className="size-5" />}
          linkLabel="Manage keys"
        />
        <div className="col-span-2 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:p-5 lg:col-span-1">
          <dt className="text-sm font-medium text-zinc-600">Your role</dt>
          <dd className="mt-2 text-3xl font-semibold tracking-tight text-zinc-900 capitalize">
            {org.role}
          </dd>
          <p className="mt-3 text-sm text-zinc-500">
            Organization <code className="text-zinc-700">{org.slug}</code>
          </p>
        </div>
      </dl>

      <Card
        title="Quickstart"
        description={
          <>
            Send requests exactly as you would to OpenAI, with a Switchyard key.{" "}
            {canCreateKey ? (
              <>
                <Link
                  href={`${base}/keys?create=1`}
                  className="font-medium text-brand-700 hover:underline"
                >
                  Create an API key
                </Link>{" "}
                and replace <code className="text-zinc-800">sy-your-api-key</code> with it.
              </>
            ) : (
              <>
                Ask an admin or developer of this organization for an API key and replace{" "}
                <code className="text-zinc-800">sy-your-api-key</code> with it.
              </>
            )}
          </>
        }
      >
        <Quickstart baseUrl={`${origin}/v1`} />
      </Card>
    </>
  );
}
