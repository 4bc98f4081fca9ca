/**
 * Guardrail detectors: framework-free text scanners that policies (block / redact / mask /
 * flag / reroute) are built on. See docs/guardrails.md for what each detector finds, its
 * confidence levels and its known limits.
 */
export type { Detector, Finding, FindingCategory } from "./types";
export { DEFAULT_MIN_CONFIDENCE } from "./types";
export { BUILT_IN_DETECTORS, PII_DETECTORS, SECRET_DETECTORS, builtInDetector } from "./built-in";
export { detectAll, mergeFindings, scanChatRequest, type ChatFinding, type ChatScan, type DetectAllOptions } from "./detect-all";
export { extractChatText, countMessages, type ChatTextSegment, type ChatTextSource, type ChatTextKind } from "./chat-text";
export { createRegexDetector, MAX_PATTERN_LENGTH, type RegexDetectorConfig } from "./custom/regex-detector";
export { createKeywordDetector, MAX_KEYWORDS, MAX_KEYWORD_LENGTH, type KeywordDetectorConfig } from "./custom/keyword-detector";
export { DetectorConfigError } from "./custom/detector-config-error";
export { createSizeDetector, type SizeDetector, type SizeDetectorConfig } from "./size/size-detector";
export { injectionScore, promptInjectionDetector } from "./injection/prompt-injection";
export { toxicityDetector } from "./toxicity/profanity";
export { emailDetector } from "./pii/email";
export { phoneDetector } from "./pii/phone";
export { ssnDetector } from "./pii/ssn";
export { creditCardDetector } from "./pii/credit-card";
export { ibanDetector } from "./pii/iban";
export { ipAddressDetector } from "./pii/ip-address";
export { dateOfBirthDetector } from "./pii/date-of-birth";
export { providerKeyDetectors } from "./secrets/provider-keys";
export { privateKeyDetector } from "./secrets/private-key";
export { jwtDetector } from "./secrets/jwt";
export { connectionStringDetector } from "./secrets/connection-string";
export { genericSecretDetector } from "./secrets/generic-secret";
