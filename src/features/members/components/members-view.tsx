"use client";

import { PageHeader } from "~/components/page-header";
import { useOrg } from "~/features/shell/components/org-context";
import { InviteForm } from "./invite-form";
import { InvitesTable } from "./invites-table";
import { MembersTable } from "./members-table";

export function MembersView() {
  const org = useOrg();
  return (
    <>
      <PageHeader
        title="Members"
        description="Who can use this organization's console, and what their role lets them do."
      />
      <div className="space-y-6">
        {org.can("members:invite") ? <InviteForm orgSlug={org.slug} actorRole={org.role} /> : null}
        <MembersTable
          orgSlug={org.slug}
          orgName={org.name}
          actorRole={org.role}
          canUpdate={org.can("members:update")}
          canRemove={org.can("members:remove")}
        />
        <InvitesTable orgSlug={org.slug} canInvite={org.can("members:invite")} />
      </div>
    </>
  );
}
