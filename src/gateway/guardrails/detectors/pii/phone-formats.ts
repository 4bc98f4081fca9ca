/**
 * Which digit layouts are telephone numbers. A candidate arrives as its digit groups (the runs
 * of digits between separators) plus whether it carried an international prefix; the answer is
 * a base confidence, 0 when no known numbering plan fits.
 */

export interface PhoneShape {
  /** Digit groups in order, without the "+" / "00" prefix. */
  groups: string[];
  /** Separators between the groups (length = groups.length - 1). */
  separators: string[];
  international: boolean;
  /** The first group was written in parentheses: "(212) 555-0100", "(030) 1234567". */
  parenthesized: boolean;
}

export function phoneConfidence(shape: PhoneShape): number {
  const digits = shape.groups.join("");
  if (shape.international) return internationalConfidence(digits, shape);
  if (shape.groups.length === 1) return 0;
  return Math.max(nanp(digits, shape), uk(digits, shape), de(digits, shape), fr(digits, shape), india(digits, shape));
}

const sizes = (s: PhoneShape) => s.groups.map((g) => g.length).join("-");
const uniformSeparators = (s: PhoneShape) => s.separators.every((x) => x === s.separators[0]);

function internationalConfidence(digits: string, shape: PhoneShape): number {
  if (digits.length < 8 || digits.length > 15 || digits[0] === "0") return 0;
  // A "+" number written as one run still reads as a phone; grouped ones read better.
  const grouped = shape.groups.length > 1 ? 0.05 : 0;
  if (digits[0] === "1") return digits.length === 11 && nanpValid(digits.slice(1)) ? 0.9 + grouped : 0;
  if (digits.startsWith("44")) return digits.length === 12 || digits.length === 11 ? 0.88 + grouped : 0;
  if (digits.startsWith("49")) return digits.length >= 10 && digits.length <= 14 ? 0.88 + grouped : 0;
  if (digits.startsWith("33")) return digits.length === 11 && digits[2] !== "0" ? 0.88 + grouped : 0;
  if (digits.startsWith("91")) return digits.length === 12 && digits[2] !== "0" ? 0.88 + grouped : 0;
  return 0.8 + grouped;
}

/** NANP: area code and exchange both start 2–9. */
function nanpValid(ten: string): boolean {
  return ten.length === 10 && ten[0]! >= "2" && ten[3]! >= "2";
}

function nanp(digits: string, shape: PhoneShape): number {
  const layout = sizes(shape);
  let ten = digits;
  if (layout === "1-3-3-4" && digits[0] === "1") ten = digits.slice(1);
  else if (layout !== "3-3-4") return 0;
  if (!nanpValid(ten)) return 0;
  if (shape.parenthesized) return 0.85;
  if (!uniformSeparators(shape)) return 0.55;
  const sep = shape.separators[0];
  return sep === "-" ? 0.8 : sep === "." ? 0.6 : 0.65;
}

/** UK national: 0 then 9–10 digits, grouped 3-4-4, 4-3-4, 5-6, 5-3-3, 4-6, 5-5. */
function uk(digits: string, shape: PhoneShape): number {
  if (digits[0] !== "0" || !"1237".includes(digits[1] ?? "")) return 0;
  if (digits.length !== 11 && !(digits.length === 10 && digits[1] === "1")) return 0;
  const ok = ["3-4-4", "4-3-4", "5-6", "5-3-3", "4-6", "5-5", "4-4-3"].includes(sizes(shape));
  return ok ? (shape.parenthesized ? 0.75 : 0.65) : 0;
}

/** German national: 0 + area code (2–5 digits after the 0) + subscriber, 10–12 digits total. */
function de(digits: string, shape: PhoneShape): number {
  if (digits[0] !== "0" || digits[1] === "0" || digits.length < 10 || digits.length > 12) return 0;
  if (shape.groups.length > 3) return 0;
  const area = shape.groups[0]!.length;
  if (area < 3 || area > 6) return 0;
  if (!shape.separators.every((x) => x === " " || x === "/" || x === "-")) return 0;
  return shape.parenthesized || shape.separators[0] === "/" ? 0.7 : 0.6;
}

/** French national: 0X XX XX XX XX with one separator kind. */
function fr(digits: string, shape: PhoneShape): number {
  if (sizes(shape) !== "2-2-2-2-2" || digits[0] !== "0" || digits[1] === "0") return 0;
  return uniformSeparators(shape) ? 0.8 : 0;
}

/** Indian mobiles: 10 digits starting 6–9, printed 5-5 (optionally with a leading 0). */
function india(digits: string, shape: PhoneShape): number {
  const layout = sizes(shape);
  if (layout === "5-5" && digits[0]! >= "6") return 0.6;
  if (layout === "1-5-5" && digits[0] === "0" && digits[1]! >= "6") return 0.6;
  return 0;
}

/** A bare run of digits with no separators: only plausible with a phone word nearby. */
export function bareDigitsConfidence(digits: string): number {
  if (digits.length === 10 && digits[0]! >= "2" && digits[3]! >= "2") return 0.3;
  if (digits.length === 11 && digits[0] === "0" && digits[1] !== "0") return 0.3;
  if (digits.length === 11 && digits[0] === "1" && nanpValid(digits.slice(1))) return 0.3;
  return 0;
}
