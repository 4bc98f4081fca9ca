/**
 * Context windows: many detectors only trust a match when a telling word sits nearby
 * ("DOB", "phone", "secret"). Windows are small slices, so the cost stays proportional to the
 * number of candidate matches, not to the text length.
 */

export function windowBefore(text: string, start: number, size: number): string {
  return text.slice(Math.max(0, start - size), start).toLowerCase();
}

/** Whether `pattern` matches in the `size` characters before `start` (case-insensitive). */
export function contextBefore(text: string, start: number, size: number, pattern: RegExp): boolean {
  return pattern.test(windowBefore(text, start, size));
}
