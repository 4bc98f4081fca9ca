import { defineDetector, type Emit } from "../define-detector";
import { isAsciiAlnumCode, isDigitCode } from "../text/chars";
import { windowBefore } from "../text/context";

/**
 * IPv4 addresses (four decimal octets ≤ 255, no leading zeros) and IPv6 addresses (full,
 * "::"-compressed, with an embedded IPv4 tail or a zone). Version numbers ("v1.2.3.4",
 * "version 10.0.0.1"), dotted numbers longer than four parts and netmasks are pushed below
 * the reporting threshold by context.
 */

const IPV4 = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/g;
// Groups always start with ":" so the match is deterministic; validated in code.
const IPV6 = /[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,8}(?:\.\d{1,3}){0,3}(?:%[0-9A-Za-z]{1,15})?/y;
/** Dotted numbers that are versions or section numbers: "v1.2.3.4", "version string is 3.4.5.6", "Chapter 2.4.6.8". */
const VERSION_CONTEXT =
  /(?:\bv$|\b(?:version|release|build|ver|firmware|sdk|revision|rev|node|python|ios|android|chrome|firefox|chapter|section|clause|article|step|para|paragraph|rule)\b[^\n.]{0,16}$|§\s?$)/;
const IP_CONTEXT = /\b(?:ip|ips|ipv4|ipv6|address|addr|host|server|client|from|connect|ping|ssh|gateway|dns)\b/;

export const ipAddressDetector = defineDetector("pii.ip_address", "pii", (text, emit) => {
  if (text.indexOf(".") !== -1) scanIpv4(text, emit);
  if (text.indexOf(":") !== -1) scanIpv6(text, emit);
});

function scanIpv4(text: string, emit: Emit): void {
  IPV4.lastIndex = 0;
  for (let m = IPV4.exec(text); m !== null; m = IPV4.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = text.charCodeAt(start - 1);
    const after = text.charCodeAt(end);
    // Part of a longer dotted number, a word, or a decimal ("1.2.3.4.5", "x1.2.3.4", "1.2.3.4.").
    if (isAsciiAlnumCode(before) || isAsciiAlnumCode(after)) continue;
    if (before === 46 && isDigitCode(text.charCodeAt(start - 2))) continue;
    if (after === 46 && isDigitCode(text.charCodeAt(end + 1))) continue;
    const octets = m[0].split(".");
    if (!octets.every(validOctet)) continue;
    const lead = windowBefore(text, start, 24);
    let confidence = 0.85;
    if (VERSION_CONTEXT.test(lead)) confidence = 0.25;
    else if (octets[0] === "255" || (octets[0] === "0" && octets[3] === "0")) confidence = 0.4;
    else if (IP_CONTEXT.test(lead)) confidence = 0.95;
    emit("IPV4", start, end, confidence);
  }
}

function validOctet(o: string): boolean {
  if (o.length > 1 && o[0] === "0") return false;
  return Number(o) <= 255;
}

function scanIpv6(text: string, emit: Emit): void {
  // Anchored on colons (found by indexOf, not by trying a regex at every character).
  let colon = text.indexOf(":");
  while (colon !== -1) {
    let start = colon;
    while (start > 0 && colon - start < 5 && isHexCode(text.charCodeAt(start - 1))) start--;
    const m = isIpv6Start(text, start) ? execAt(IPV6, text, start) : null;
    if (m === null) {
      colon = text.indexOf(":", colon + 1);
      continue;
    }
    let candidate = m[0];
    // A trailing ":" is punctuation ("the address fe80::1:"), never part of the address.
    while (candidate.endsWith(":") && !candidate.endsWith("::")) candidate = candidate.slice(0, -1);
    const end = start + candidate.length;
    const after = text.charCodeAt(end);
    const confidence = isAsciiAlnumCode(after) || after === 95 ? 0 : ipv6Confidence(candidate);
    if (confidence > 0) {
      const lead = windowBefore(text, start, 24);
      emit("IPV6", start, end, IP_CONTEXT.test(lead) ? Math.min(0.97, confidence + 0.1) : confidence);
    }
    colon = text.indexOf(":", start + m[0].length);
  }
}

function execAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

function isHexCode(c: number): boolean {
  return isDigitCode(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** "std::vector", "a::b::c", "x1:2:3" in code: glued to a word or another colon. */
function isIpv6Start(text: string, start: number): boolean {
  const before = text.charCodeAt(start - 1);
  return !(isAsciiAlnumCode(before) || before === 95 || before === 58);
}

/** Structural validation of an IPv6 literal; 0 when it is not one. */
export function ipv6Confidence(candidate: string): number {
  const zone = candidate.indexOf("%");
  const address = zone === -1 ? candidate : candidate.slice(0, zone);
  let groups = address.split(":");
  let v4Groups = 0;
  const last = groups[groups.length - 1]!;
  if (last.includes(".")) {
    const octets = last.split(".");
    if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && validOctet(o))) return 0;
    groups = groups.slice(0, -1).concat(["0", "0"]);
    v4Groups = 2;
  }
  const compressed = address.indexOf("::");
  if (compressed !== -1 && address.indexOf("::", compressed + 1) !== -1) return 0;
  if (compressed === -1) {
    if (groups.length !== 8 || !groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return 0;
    return 0.9;
  }
  const [head, tail] = [address.slice(0, compressed), address.slice(compressed + 2)];
  const parts = [...(head ? head.split(":") : []), ...(tail ? tail.split(":") : [])];
  const hexParts = v4Groups ? parts.slice(0, -1) : parts;
  if (!hexParts.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return 0;
  if (hexParts.length + v4Groups > 7) return 0;
  // "::" alone or "::1": real but tiny; a lone "a::b" in prose or code is weak evidence.
  const hexDigits = hexParts.join("").length;
  if (hexParts.length + v4Groups <= 1) return address === "::1" ? 0.6 : 0;
  if (hexDigits < 4 && v4Groups === 0) return 0.35;
  return 0.85;
}
