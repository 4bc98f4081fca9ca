/**
 * Issuer identification (IIN) ranges of the major card networks with the lengths each issues.
 * A Luhn-valid number outside every range is far more likely an id or a reference number.
 */

interface Network {
  name: string;
  lengths: readonly number[];
  matches(digits: string): boolean;
}

const prefixIn = (digits: string, size: number, lo: number, hi: number) => {
  const p = Number(digits.slice(0, size));
  return p >= lo && p <= hi;
};

const NETWORKS: readonly Network[] = [
  { name: "visa", lengths: [13, 16, 19], matches: (d) => d[0] === "4" },
  { name: "mastercard", lengths: [16], matches: (d) => prefixIn(d, 2, 51, 55) || prefixIn(d, 4, 2221, 2720) },
  { name: "amex", lengths: [15], matches: (d) => d.startsWith("34") || d.startsWith("37") },
  {
    name: "discover",
    lengths: [16, 17, 18, 19],
    matches: (d) => d.startsWith("6011") || d.startsWith("65") || prefixIn(d, 3, 644, 649),
  },
  {
    name: "diners",
    lengths: [14, 15, 16, 17, 18, 19],
    matches: (d) => prefixIn(d, 3, 300, 305) || d.startsWith("36") || d.startsWith("38") || d.startsWith("39"),
  },
  { name: "jcb", lengths: [16, 17, 18, 19], matches: (d) => prefixIn(d, 4, 3528, 3589) },
  { name: "unionpay", lengths: [16, 17, 18, 19], matches: (d) => d.startsWith("62") },
  {
    name: "maestro",
    lengths: [13, 14, 15, 16, 17, 18, 19],
    matches: (d) => d.startsWith("50") || prefixIn(d, 2, 56, 58) || d.startsWith("6304") || d.startsWith("6759"),
  },
];

export function cardNetwork(digits: string): string | null {
  for (const n of NETWORKS) if (n.lengths.includes(digits.length) && n.matches(digits)) return n.name;
  return null;
}
