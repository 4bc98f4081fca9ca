import { describe, expect, it } from "vitest";
import { creditCardDetector } from "~/gateway/guardrails/detectors/pii/credit-card";
import { dateOfBirthDetector } from "~/gateway/guardrails/detectors/pii/date-of-birth";
import { emailDetector } from "~/gateway/guardrails/detectors/pii/email";
import { ibanDetector, mod97 } from "~/gateway/guardrails/detectors/pii/iban";
import { ipAddressDetector, ipv6Confidence } from "~/gateway/guardrails/detectors/pii/ip-address";
import { luhnValid } from "~/gateway/guardrails/detectors/pii/luhn";
import { phoneDetector } from "~/gateway/guardrails/detectors/pii/phone";
import { isIssuableSsn, ssnDetector } from "~/gateway/guardrails/detectors/pii/ssn";
import type { Detector } from "~/gateway/guardrails/detectors";

/** Span texts found at or above the default reporting confidence. */
const found = (d: Detector, text: string) => d.detect(text).filter((f) => f.confidence >= 0.5).map((f) => text.slice(f.start, f.end));
const confidenceOf = (d: Detector, text: string) => Math.max(0, ...d.detect(text).map((f) => f.confidence));

describe("pii.email", () => {
  it("finds addresses and stops at sentence punctuation", () => {
    expect(found(emailDetector, "Mail a.b+c@mail.example.co.uk. Or x@y.io!")).toEqual(["a.b+c@mail.example.co.uk", "x@y.io"]);
  });
  it("ignores handles, package versions, asset names and addresses without a TLD", () => {
    for (const t of ["@jane", "react@18.2.0", "logo@2x.png", "root@localhost", "a@b", "user@", "@example.com"]) {
      expect(found(emailDetector, t), t).toEqual([]);
    }
  });
  it("scores URL credentials and SSH remotes below the threshold", () => {
    expect(confidenceOf(emailDetector, "postgres://app:pw@db.example.com/x")).toBeLessThan(0.5);
    expect(confidenceOf(emailDetector, "git@github.com:acme/repo.git")).toBeLessThan(0.5);
  });
});

describe("pii.ssn", () => {
  it("excludes the ranges the SSA never issues", () => {
    expect(isIssuableSsn("123456780")).toBe(true);
    for (const bad of ["000123456", "666123456", "912345678", "123004567", "123450000", "078051120", "111111111"]) {
      expect(isIssuableSsn(bad), bad).toBe(false);
    }
  });
  it("needs the word SSN for spaced or bare digits, not for the dashed form", () => {
    expect(found(ssnDetector, "ref 401-23-4567 ok")).toEqual([]);
    expect(found(ssnDetector, "it is 401-23-4567")).toEqual(["401-23-4567"]);
    expect(found(ssnDetector, "number 401 23 4567")).toEqual([]);
    expect(found(ssnDetector, "SSN 401 23 4567")).toEqual(["401 23 4567"]);
    expect(found(ssnDetector, "id 401234567")).toEqual([]);
    expect(found(ssnDetector, "social security number: 401234567")).toEqual(["401234567"]);
  });
  it("does not take a slice of a longer number", () => {
    expect(found(ssnDetector, "1-401-23-4567 and 401-23-4567-89 and 4401-23-4567")).toEqual([]);
  });
});

describe("pii.credit_card", () => {
  it("checks Luhn", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(luhnValid("")).toBe(false);
    expect(luhnValid("41x1")).toBe(false);
  });
  it("finds grouped and bare numbers of known networks", () => {
    expect(found(creditCardDetector, "visa 4111 1111 1111 1111, amex 3782-822463-10005, mc 5555555555554444")).toEqual([
      "4111 1111 1111 1111",
      "3782-822463-10005",
      "5555555555554444",
    ]);
  });
  it("rejects failing Luhn, unknown prefixes, odd grouping and digits glued to letters", () => {
    expect(found(creditCardDetector, "4111 1111 1111 1112")).toEqual([]);
    expect(found(creditCardDetector, "8111 1111 1111 1113")).toEqual([]);
    expect(found(creditCardDetector, "41 11111111 111111")).toEqual([]);
    expect(found(creditCardDetector, "ID4111111111111111X")).toEqual([]);
  });
  it("finds the card inside a longer run of numbers", () => {
    expect(found(creditCardDetector, "room 12 4111 1111 1111 1111 12 27")).toEqual(["4111 1111 1111 1111"]);
  });
});

describe("pii.iban", () => {
  it("computes the ISO 7064 mod-97 checksum", () => {
    expect(mod97("DE89370400440532013000")).toBe(1);
    expect(mod97("DE89370400440532013001")).not.toBe(1);
    expect(mod97("DE89-3704")).toBe(-1);
  });
  it("finds compact and grouped IBANs with the country's exact length", () => {
    expect(found(ibanDetector, "Pay DE89 3704 0044 0532 0130 00 or GB29NWBK60161331926819.")).toEqual([
      "DE89 3704 0044 0532 0130 00",
      "GB29NWBK60161331926819",
    ]);
  });
  it("rejects bad checksums, wrong lengths and unknown countries", () => {
    expect(found(ibanDetector, "DE89 3704 0044 0532 0130 01")).toEqual([]);
    expect(found(ibanDetector, "DE89 3704 0044 0532 0130")).toEqual([]);
    expect(found(ibanDetector, "XX89 3704 0044 0532 0130 00")).toEqual([]);
    expect(found(ibanDetector, "DE89370400440532013000X")).toEqual([]);
  });
});

describe("pii.ip_address", () => {
  it("finds IPv4 with valid octets only", () => {
    expect(found(ipAddressDetector, "from 10.0.0.1:8080 and 256.1.1.1 and 01.2.3.4 and 1.2.3.4.5")).toEqual(["10.0.0.1"]);
  });
  it("pushes versions and section numbers below the threshold", () => {
    expect(found(ipAddressDetector, "v1.2.3.4, version 2.0.0.1, Chapter 2.4.6.8")).toEqual([]);
    expect(found(ipAddressDetector, "host 1.2.3.4")).toEqual(["1.2.3.4"]);
  });
  it("validates IPv6 structure", () => {
    expect(ipv6Confidence("2001:db8::1")).toBeGreaterThan(0.5);
    expect(ipv6Confidence("2001:0db8:85a3:0000:0000:8a2e:0370:7334")).toBeGreaterThan(0.5);
    expect(ipv6Confidence("::ffff:192.0.2.128")).toBeGreaterThan(0.5);
    expect(ipv6Confidence("::1")).toBeGreaterThan(0.5);
    expect(ipv6Confidence("1::2::3")).toBe(0);
    expect(ipv6Confidence("12:30:45")).toBe(0);
    expect(ipv6Confidence("00:1A:2B:3C:4D:5E")).toBe(0);
    expect(ipv6Confidence("::ffff:999.0.2.128")).toBe(0);
    expect(ipv6Confidence("a::b")).toBeLessThan(0.5);
  });
  it("does not read C++ or Ruby scope operators as addresses", () => {
    expect(found(ipAddressDetector, "std::vector, Foo::Bar, crate::module, a :: Int")).toEqual([]);
    expect(found(ipAddressDetector, "curl http://[2001:db8::1]:443/")).toEqual(["2001:db8::1"]);
  });
});

describe("pii.date_of_birth", () => {
  it("needs a birth word just before the date", () => {
    expect(found(dateOfBirthDetector, "Released 1985-03-12.")).toEqual([]);
    expect(found(dateOfBirthDetector, "DOB: 1985-03-12")).toEqual(["1985-03-12"]);
    expect(found(dateOfBirthDetector, "born on March 5, 1978")).toEqual(["March 5, 1978"]);
    expect(found(dateOfBirthDetector, "Geburtsdatum 17.08.1975")).toEqual(["17.08.1975"]);
  });
  it("takes only the first date after the word, in the same clause", () => {
    expect(found(dateOfBirthDetector, "DOB 1985-03-12, issued 2020-01-01")).toEqual(["1985-03-12"]);
    expect(found(dateOfBirthDetector, "DOB unknown; admitted 2023-02-11")).toEqual([]);
    expect(found(dateOfBirthDetector, "born in Paris, where the family lived for years, on 1985-03-12")).toEqual([]);
  });
  it("rejects impossible and future dates", () => {
    expect(found(dateOfBirthDetector, "DOB 1985-02-30")).toEqual([]);
    expect(found(dateOfBirthDetector, "DOB 31/02/1985")).toEqual([]);
    expect(found(dateOfBirthDetector, `DOB ${new Date().getUTCFullYear() + 1}-01-01`)).toEqual([]);
  });
});

describe("pii.phone", () => {
  it("recognises national layouts and international numbers", () => {
    const text = "(212) 555-0143, +44 20 7946 0958, 030 12345678, 01 23 45 67 89, +91 98765 43210, 0049 89 12345678";
    expect(found(phoneDetector, text)).toEqual([
      "(212) 555-0143",
      "+44 20 7946 0958",
      "030 12345678",
      "01 23 45 67 89",
      "+91 98765 43210",
      "0049 89 12345678",
    ]);
  });
  it("rejects dates, IPs, ISBNs and numbers without a phone layout", () => {
    for (const t of ["2024-03-12", "192.168.100.200", "978-3-16-148410-0", "ISBN 0-306-40615-2", "1,234,567", "12.03.2024"]) {
      expect(found(phoneDetector, t), t).toEqual([]);
    }
  });
  it("moves confidence with the words around it", () => {
    expect(found(phoneDetector, "ref 6175550123")).toEqual([]);
    expect(found(phoneDetector, "phone 6175550123")).toEqual(["6175550123"]);
    expect(confidenceOf(phoneDetector, "call 212-555-0143")).toBeGreaterThan(confidenceOf(phoneDetector, "x 212-555-0143"));
    expect(found(phoneDetector, "Order 212-555-0143")).toEqual([]);
  });
});
