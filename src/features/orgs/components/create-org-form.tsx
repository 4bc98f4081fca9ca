"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Field, Input } from "~/components/input";
import { slugify } from "~/lib/slug";
import { errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

export function CreateOrgForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const create = useMutation(
    trpc.orgs.create.mutationOptions({
      onSuccess: ({ slug: created }) => {
        router.push(`/orgs/${created}`);
        router.refresh();
      },
    }),
  );
  const errors = fieldErrors(create.error);
  const effectiveSlug = slugEdited ? slug : name.trim() ? slugify(name) : "";

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, slug: effectiveSlug || undefined });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5">
      {create.error && !errors.name && !errors.slug ? (
        <Alert tone="danger">{errorMessage(create.error)}</Alert>
      ) : null}
      <Field label="Name" error={errors.name}>
        {(control) => (
          <Input
            {...control}
            value={name}
            required
            maxLength={100}
            autoFocus
            placeholder="Acme"
            autoComplete="organization"
            onChange={(e) => setName(e.target.value)}
          />
        )}
      </Field>
      <Field
        label="URL slug"
        hint="Lower-case letters, digits and dashes. It appears in console URLs and cannot be changed later."
        error={errors.slug}
      >
        {(control) => (
          <div className="flex items-center rounded-md shadow-sm">
            <span className="inline-flex h-9 items-center rounded-l-md border border-r-0 border-zinc-300 bg-zinc-50 px-3 text-sm text-zinc-500">
              /orgs/
            </span>
            <Input
              {...control}
              value={effectiveSlug}
              maxLength={48}
              pattern="[a-z0-9](?:[a-z0-9\-]{0,46}[a-z0-9])?"
              spellCheck={false}
              className="rounded-l-none font-mono shadow-none"
              onChange={(e) => {
                setSlugEdited(true);
                setSlug(e.target.value.toLowerCase());
              }}
            />
          </div>
        )}
      </Field>
      <Button type="submit" className="w-full" loading={create.isPending || create.isSuccess}>
        Create organization
      </Button>
    </form>
  );
}
