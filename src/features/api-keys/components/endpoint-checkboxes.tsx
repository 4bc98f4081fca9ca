"use client";

import { KEY_ENDPOINTS, KEY_ENDPOINT_LABELS, type KeyEndpoint } from "~/gateway/key-endpoints";

/**
 * The endpoint groups a key may call, one checkbox each. Every box ticked means "no limit"
 * (stored as null), so a key created before a new group existed keeps calling it.
 */
export function EndpointCheckboxes({
  value,
  onChange,
  error,
}: {
  value: readonly KeyEndpoint[];
  onChange: (next: KeyEndpoint[]) => void;
  error?: string;
}) {
  return (
    <fieldset className="space-y-2" data-testid="key-endpoints">
      <legend className="text-sm font-medium text-zinc-800">Allowed endpoints</legend>
      <p className="text-xs text-zinc-500">
        Calls to an unticked endpoint are refused with 403. Leave all ticked for no limit.
      </p>
      <div className="grid gap-1.5 sm:grid-cols-2">
        {KEY_ENDPOINTS.map((endpoint) => (
          <label key={endpoint} className="flex items-start gap-2 text-sm text-zinc-700">
            <input
              type="checkbox"
              name={`endpoint-${endpoint}`}
              className="mt-0.5 size-4 rounded border-zinc-300 accent-zinc-900"
              checked={value.includes(endpoint)}
              onChange={(e) =>
                onChange(
                  e.target.checked
                    ? KEY_ENDPOINTS.filter((x) => x === endpoint || value.includes(x))
                    : value.filter((x) => x !== endpoint),
                )
              }
            />
            <span>
              <span className="font-medium">{endpoint}</span>{" "}
              <span className="text-xs text-zinc-500">
                {KEY_ENDPOINT_LABELS[endpoint].replace(/^[^(]*\(/, "(")}
              </span>
            </span>
          </label>
        ))}
      </div>
      {error ? <p className="text-xs text-red-600">{error}</p> : null}
    </fieldset>
  );
}

/** The stored form: null when every group is allowed. */
export function endpointsToInput(value: readonly KeyEndpoint[]): KeyEndpoint[] | null {
  return KEY_ENDPOINTS.every((e) => value.includes(e)) ? null : [...value];
}
