import { promptInjectionDetector } from "./injection/prompt-injection";
import { creditCardDetector } from "./pii/credit-card";
import { dateOfBirthDetector } from "./pii/date-of-birth";
import { emailDetector } from "./pii/email";
import { ibanDetector } from "./pii/iban";
import { ipAddressDetector } from "./pii/ip-address";
import { phoneDetector } from "./pii/phone";
import { ssnDetector } from "./pii/ssn";
import { connectionStringDetector } from "./secrets/connection-string";
import { genericSecretDetector } from "./secrets/generic-secret";
import { jwtDetector } from "./secrets/jwt";
import { privateKeyDetector } from "./secrets/private-key";
import { providerKeyDetectors } from "./secrets/provider-keys";
import { toxicityDetector } from "./toxicity/profanity";
import type { Detector } from "./types";

export const PII_DETECTORS: readonly Detector[] = [
  emailDetector,
  phoneDetector,
  ssnDetector,
  creditCardDetector,
  ibanDetector,
  ipAddressDetector,
  dateOfBirthDetector,
];

export const SECRET_DETECTORS: readonly Detector[] = [
  ...providerKeyDetectors,
  privateKeyDetector,
  jwtDetector,
  connectionStringDetector,
  genericSecretDetector,
];

/** Every built-in detector (custom and size detectors are created from configuration). */
export const BUILT_IN_DETECTORS: readonly Detector[] = [
  ...PII_DETECTORS,
  ...SECRET_DETECTORS,
  promptInjectionDetector,
  toxicityDetector,
];

const byId = new Map(BUILT_IN_DETECTORS.map((d) => [d.id, d]));

/** A built-in detector by id ("pii.email"), or undefined. */
export function builtInDetector(id: string): Detector | undefined {
  return byId.get(id);
}
