/**
 * Calendar dates in the formats people type: ISO (1985-03-12), numeric day/month/year with
 * "/", "." or "-" (12/03/1985, 3.12.85), and written months (12 March 1985, March 12th, 1985,
 * 12th of Mar 1985). Each match is checked to be a real calendar day.
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6,
  june: 6, jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10,
  october: 10, nov: 11, november: 11, dec: 12, december: 12,
};

const MONTH_NAME =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const DAY = "(\\d{1,2})(?:st|nd|rd|th)?";

/** One regex, four alternatives; each alternative is a fixed sequence of bounded pieces. */
export const DATE_PATTERN = new RegExp(
  [
    "(\\d{4})-(\\d{1,2})-(\\d{1,2})",
    "(\\d{1,2})([/.\\-])(\\d{1,2})\\5(\\d{4}|\\d{2})",
    `${DAY}[ -](?:of )?(${MONTH_NAME})(?:, ?| |-)(\\d{4})`,
    `(${MONTH_NAME}) ${DAY}(?:, ?| )(\\d{4})`,
  ].join("|"),
  "gi",
);

export interface DateMatch {
  start: number;
  end: number;
  year: number;
}

/** Every valid date in `text`, in order. */
export function findDates(text: string): DateMatch[] {
  const out: DateMatch[] = [];
  DATE_PATTERN.lastIndex = 0;
  for (let m = DATE_PATTERN.exec(text); m !== null; m = DATE_PATTERN.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (isGlued(text, start, end)) continue;
    const ymd = toYmd(m);
    if (ymd && isCalendarDay(ymd[0], ymd[1], ymd[2])) out.push({ start, end, year: ymd[0] });
  }
  return out;
}

function toYmd(m: RegExpExecArray): [number, number, number] | null {
  if (m[1]) return [Number(m[1]), Number(m[2]), Number(m[3])];
  if (m[4]) {
    const a = Number(m[4]);
    const b = Number(m[6]);
    const year = expandYear(m[7]!);
    // Day-first unless that is impossible (US month-first: 03/25/1985).
    if (b <= 12 && a <= 31) return [year, b, a];
    if (a <= 12) return [year, a, b];
    return null;
  }
  if (m[8]) return [Number(m[10]), monthNumber(m[9]!), Number(m[8])];
  if (m[11]) return [Number(m[13]), monthNumber(m[11]), Number(m[12])];
  return null;
}

function expandYear(y: string): number {
  if (y.length === 4) return Number(y);
  const n = Number(y);
  return n <= 30 ? 2000 + n : 1900 + n;
}

function monthNumber(name: string): number {
  return MONTHS[name.toLowerCase().replace(".", "")] ?? 0;
}

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || year < 1000) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

function isGlued(text: string, start: number, end: number): boolean {
  const isBad = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const before = text.charCodeAt(start - 1);
  const after = text.charCodeAt(end);
  if (isBad(before) || isBad(after)) return true;
  // "1.2.2024.5", "2024-01-01-3": a longer dotted or dashed number.
  const digitAt = (i: number) => {
    const c = text.charCodeAt(i);
    return c >= 48 && c <= 57;
  };
  if ((before === 46 || before === 45 || before === 47) && digitAt(start - 2)) return true;
  return (after === 46 || after === 45 || after === 47) && digitAt(end + 1);
}
