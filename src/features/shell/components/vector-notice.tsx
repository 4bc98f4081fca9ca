import { Alert } from "~/components/alert";

export const VECTOR_UNAVAILABLE_MESSAGE =
  "Vector features (knowledge bases, semantic cache) are unavailable: pgvector is not installed on this database";

export function VectorNotice({ reason }: { reason: string | null }) {
  return (
    <Alert tone="warning" className="mb-6">
      <p>{VECTOR_UNAVAILABLE_MESSAGE}.</p>
      <p className="mt-1 text-xs text-amber-800/80">
        Everything else works. Install pgvector 0.5 or newer on the database and restart Switchyard
        to enable them.
        {reason ? <span className="block break-words">Reason: {reason}</span> : null}
      </p>
    </Alert>
  );
}
