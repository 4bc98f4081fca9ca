import { scanKeyedValues } from "./keyed-values";
import { tokenFamilyDetector } from "./token-patterns";

/**
 * API keys of the common providers, one detector per family. Shapes follow each provider's
 * published formats; bodies must look random (entropy, mixed characters) and not be
 * documentation placeholders ("sk-...", "ghp_xxxx", "AKIA…EXAMPLE"), which score 0.15.
 */

export const openAiKeyDetector = tokenFamilyDetector("secret.openai", [
  { label: "OPENAI_API_KEY", pattern: /sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,250}/g, confidence: 0.97 },
  { label: "OPENAI_API_KEY", pattern: /sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}/g, confidence: 0.99 },
  // Older and OpenAI-compatible keys: "sk-" and 32–64 alphanumerics (48 for classic OpenAI).
  { label: "OPENAI_API_KEY", pattern: /sk-[A-Za-z0-9]{32,64}/g, confidence: 0.8, minEntropy: 3.5 },
]);

export const anthropicKeyDetector = tokenFamilyDetector("secret.anthropic", [
  { label: "ANTHROPIC_API_KEY", pattern: /sk-ant-[a-z]{2,8}\d{2}-[A-Za-z0-9_-]{32,200}/g, confidence: 0.99 },
]);

export const awsKeyDetector = tokenFamilyDetector(
  "secret.aws",
  [
    // Access key ids (long-term AKIA, temporary ASIA): base32 after the prefix, so possibly
    // letters only.
    { label: "AWS_ACCESS_KEY_ID", pattern: /(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}/g, confidence: 0.95, minEntropy: 2.5, minClasses: 1 },
  ],
  (text, emit) =>
    scanKeyedValues(text, emit, {
      label: "AWS_SECRET_ACCESS_KEY",
      name: /aws_?secret|secret_?access_?key|aws.{0,12}secret|secretaccesskey/gi,
      value: /[A-Za-z0-9/+]{40}/y,
      confidence: 0.9,
      minEntropy: 4,
      reach: 48,
    }),
);

export const githubTokenDetector = tokenFamilyDetector("secret.github", [
  { label: "GITHUB_TOKEN", pattern: /gh[pousr]_[A-Za-z0-9]{36,251}/g, confidence: 0.98 },
  { label: "GITHUB_TOKEN", pattern: /github_pat_[A-Za-z0-9_]{60,255}/g, confidence: 0.98 },
]);

export const slackTokenDetector = tokenFamilyDetector("secret.slack", [
  {
    label: "SLACK_TOKEN",
    pattern: /xox[abposre]-[A-Za-z0-9-]{10,250}/g,
    confidence: 0.95,
    // Real bot/user tokens carry numeric workspace and user ids: "xoxb-1234…-5678…-…".
    refine: (m) => (/\d{6,}/.test(m) ? 0.95 : 0.4),
  },
  { label: "SLACK_APP_TOKEN", pattern: /xapp-\d-[A-Z0-9]{6,20}-\d{6,20}-[a-f0-9]{32,128}/g, confidence: 0.98 },
  {
    label: "SLACK_WEBHOOK_URL",
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/]{20,160}/g,
    confidence: 0.95,
    refine: (m) => (/\/T[A-Z0-9]{6,}\/[AB][A-Z0-9]{6,}\/[A-Za-z0-9]{16,}/.test(m) ? 0.95 : 0.45),
  },
]);

export const stripeKeyDetector = tokenFamilyDetector("secret.stripe", [
  { label: "STRIPE_SECRET_KEY", pattern: /sk_live_[A-Za-z0-9]{20,247}/g, confidence: 0.98 },
  { label: "STRIPE_RESTRICTED_KEY", pattern: /rk_live_[A-Za-z0-9]{20,247}/g, confidence: 0.97 },
  { label: "STRIPE_WEBHOOK_SECRET", pattern: /whsec_[A-Za-z0-9]{24,247}/g, confidence: 0.95 },
  // Publishable keys are meant for browsers: worth knowing about, not a leak.
  { label: "STRIPE_PUBLISHABLE_KEY", pattern: /pk_live_[A-Za-z0-9]{20,247}/g, confidence: 0.6 },
  // Test-mode keys move no money; below the default reporting threshold.
  { label: "STRIPE_TEST_KEY", pattern: /[sr]k_test_[A-Za-z0-9]{20,247}/g, confidence: 0.4 },
]);

export const googleKeyDetector = tokenFamilyDetector("secret.google", [
  { label: "GOOGLE_API_KEY", pattern: /AIza[0-9A-Za-z_-]{35}/g, confidence: 0.95 },
  { label: "GOOGLE_OAUTH_CLIENT_SECRET", pattern: /GOCSPX-[A-Za-z0-9_-]{28}/g, confidence: 0.95 },
]);

export const sendGridKeyDetector = tokenFamilyDetector("secret.sendgrid", [
  { label: "SENDGRID_API_KEY", pattern: /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/g, confidence: 0.98 },
]);

export const twilioKeyDetector = tokenFamilyDetector(
  "secret.twilio",
  [
    { label: "TWILIO_API_KEY", pattern: /SK[0-9a-f]{32}/g, confidence: 0.85 },
    // An account SID identifies rather than authenticates: reported below the default threshold.
    { label: "TWILIO_ACCOUNT_SID", pattern: /AC[0-9a-f]{32}/g, confidence: 0.45 },
  ],
  (text, emit) =>
    scanKeyedValues(text, emit, {
      label: "TWILIO_AUTH_TOKEN",
      name: /twilio[\w .-]{0,20}(?:auth|token)|twilio_auth_token/gi,
      value: /[0-9a-f]{32}/y,
      confidence: 0.85,
      minEntropy: 3,
      reach: 40,
    }),
);

export const npmTokenDetector = tokenFamilyDetector("secret.npm", [
  { label: "NPM_TOKEN", pattern: /npm_[A-Za-z0-9]{36}/g, confidence: 0.97 },
]);

export const providerKeyDetectors = [
  openAiKeyDetector,
  anthropicKeyDetector,
  awsKeyDetector,
  githubTokenDetector,
  slackTokenDetector,
  stripeKeyDetector,
  googleKeyDetector,
  sendGridKeyDetector,
  twilioKeyDetector,
  npmTokenDetector,
] as const;
