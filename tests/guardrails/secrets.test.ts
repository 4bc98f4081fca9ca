import { describe, expect, it } from "vitest";
import { builtInDetector, type Detector } from "~/gateway/guardrails/detectors";
import { connectionStringDetector } from "~/gateway/guardrails/detectors/secrets/connection-string";
import { genericSecretDetector } from "~/gateway/guardrails/detectors/secrets/generic-secret";
import { jwtDetector } from "~/gateway/guardrails/detectors/secrets/jwt";
import { privateKeyDetector } from "~/gateway/guardrails/detectors/secrets/private-key";
import { providerKeyDetectors } from "~/gateway/guardrails/detectors/secrets/provider-keys";

const found = (d: Detector, text: string) =>
  d.detect(text).filter((f) => f.confidence >= 0.5).map((f) => ({ label: f.label, text: text.slice(f.start, f.end) }));
const foundAny = (text: string) => providerKeyDetectors.flatMap((d) => found(d, text));

/** Deterministic pseudo-random token characters (fixtures must look random, not be real keys). */
function token(length: number, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", seed = 7): string {
  let s = seed;
  let out = "";
  for (let i = 0; i < length; i++) {
    s = (s * 48_271) % 2_147_483_647;
    out += alphabet[s % alphabet.length];
  }
  return out;
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("provider keys", () => {
  const cases: [string, string][] = [
    ["OPENAI_API_KEY", `sk-proj-${token(80, undefined, 3)}`],
    ["OPENAI_API_KEY", `sk-${token(20, undefined, 4)}T3BlbkFJ${token(20, undefined, 5)}`],
    ["ANTHROPIC_API_KEY", `sk-ant-api03-${token(93, undefined, 6)}AA`],
    ["AWS_ACCESS_KEY_ID", `AKIA${token(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 8)}`],
    ["GITHUB_TOKEN", `ghp_${token(36, undefined, 9)}`],
    ["GITHUB_TOKEN", `github_pat_${token(22, undefined, 10)}_${token(59, undefined, 11)}`],
    ["SLACK_TOKEN", `xoxb-${token(11, "0123456789", 12)}-${token(13, "0123456789", 13)}-${token(24, undefined, 14)}`],
    ["STRIPE_SECRET_KEY", `sk_live_${token(24, undefined, 15)}`],
    ["GOOGLE_API_KEY", `AIza${token(35, undefined, 16)}`],
    ["SENDGRID_API_KEY", `SG.${token(22, undefined, 17)}.${token(43, undefined, 18)}`],
    ["TWILIO_API_KEY", `SK${token(32, "0123456789abcdef", 19)}`],
    ["NPM_TOKEN", `npm_${token(36, undefined, 20)}`],
  ];
  it.each(cases)("finds %s", (label, key) => {
    expect(foundAny(`export KEY="${key}"`)).toEqual([{ label, text: key }]);
  });

  it("scores documentation placeholders and test keys below the threshold", () => {
    for (const t of [
      "sk-...",
      "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      "AKIAIOSFODNN7EXAMPLE",
      "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      `sk_test_${token(24)}`,
      `AC${token(32, "0123456789abcdef")}`,
      "xoxb-your-bot-token-here",
    ]) {
      expect(foundAny(t), t).toEqual([]);
    }
  });

  it("does not match prefixes inside words or slices of longer tokens", () => {
    expect(foundAny(`task-${token(40)} risk-${token(40)}`)).toEqual([]);
    expect(foundAny(`xghp_${token(36)}`)).toEqual([]);
    expect(foundAny(`AIza${token(40)}`)).toEqual([]);
  });

  it("finds AWS secret keys and Twilio auth tokens only next to their names", () => {
    const secret = token(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+", 21);
    expect(found(builtInDetector("secret.aws")!, `aws_secret_access_key = ${secret}`)).toEqual([{ label: "AWS_SECRET_ACCESS_KEY", text: secret }]);
    expect(found(builtInDetector("secret.aws")!, `checksum = ${secret}`)).toEqual([]);
    const auth = token(32, "0123456789abcdef", 22);
    expect(found(builtInDetector("secret.twilio")!, `TWILIO_AUTH_TOKEN=${auth}`)).toEqual([{ label: "TWILIO_AUTH_TOKEN", text: auth }]);
  });
});

describe("secret.jwt", () => {
  const header = b64url({ alg: "HS256", typ: "JWT" });
  const payload = b64url({ sub: "42", name: "Ada" });
  const signature = token(43, undefined, 30);
  const jwt = `${header}.${payload}.${signature}`;

  it("finds tokens whose header decodes to JSON with alg", () => {
    expect(found(jwtDetector, `Authorization: Bearer ${jwt}.`)).toEqual([{ label: "JWT", text: jwt }]);
  });
  it("keeps the trailing dot of an unsigned token", () => {
    const unsigned = `${b64url({ alg: "none" })}.${payload}.`;
    expect(found(jwtDetector, `t=${unsigned} `)).toEqual([{ label: "JWT", text: unsigned }]);
  });
  it("rejects headers without alg, undecodable segments and two-part strings", () => {
    expect(found(jwtDetector, `${b64url({ typ: "JWT" })}.${payload}.${signature}`)).toEqual([]);
    expect(found(jwtDetector, "eyJfoo.eyJbar.baz")).toEqual([]);
    expect(found(jwtDetector, `${header}.${payload}`)).toEqual([]);
  });
});

describe("secret.private_key", () => {
  const body = token(64 * 12, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40).replace(/(.{64})/g, "$1\n").trim();
  const block = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`;

  it("spans the whole block", () => {
    expect(found(privateKeyDetector, `key:\n${block}\nthanks`)).toEqual([{ label: "PRIVATE_KEY", text: block }]);
  });
  it("spans a truncated paste up to the end of its base64", () => {
    const cut = `-----BEGIN PRIVATE KEY-----\n${body.slice(0, 400)}`;
    expect(found(privateKeyDetector, `${cut}\n\nsorry, it got cut`)).toEqual([{ label: "PRIVATE_KEY", text: cut.trimEnd() }]);
  });
  it("finds keys pasted from JSON with escaped line breaks", () => {
    const escaped = `-----BEGIN PRIVATE KEY-----\\n${body.replace(/\n/g, "\\n")}\\n-----END PRIVATE KEY-----`;
    expect(found(privateKeyDetector, `{"private_key": "${escaped}\\n"}`)).toEqual([{ label: "PRIVATE_KEY", text: escaped }]);
  });
  it("ignores public keys, certificates and headers with no key material", () => {
    expect(found(privateKeyDetector, `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`)).toEqual([]);
    expect(found(privateKeyDetector, "Your file must start with -----BEGIN PRIVATE KEY----- and nothing else.")).toEqual([]);
    expect(found(privateKeyDetector, "-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----")).toEqual([]);
  });
});

describe("secret.connection_string", () => {
  it("spans the whole URL without trailing punctuation", () => {
    const url = "postgres://app:S3cr3t-pw@db.example.com:5432/app?sslmode=require";
    expect(found(connectionStringDetector, `DATABASE_URL=${url}.`)).toEqual([{ label: "CONNECTION_STRING", text: url }]);
  });
  it("finds an empty user with a password and query-string passwords", () => {
    expect(found(connectionStringDetector, "redis://:Zq9vT4wE7r@cache:6379/0")).toHaveLength(1);
    expect(found(connectionStringDetector, "jdbc:postgresql://db:5432/app?user=app&password=Zq9vT4wE7r")).toHaveLength(1);
  });
  it("finds ADO.NET key=value strings from the first key to the password", () => {
    const text = "Server=tcp:db.example.net,1433;Initial Catalog=app;User ID=app;Password=Zq9vT4wE7r;Encrypt=True;";
    expect(found(connectionStringDetector, text)).toEqual([
      { label: "CONNECTION_STRING", text: "Server=tcp:db.example.net,1433;Initial Catalog=app;User ID=app;Password=Zq9vT4wE7r" },
    ]);
  });
  it("ignores URLs without a password and placeholder passwords", () => {
    for (const t of ["postgres://localhost:5432/app", "mysql://root@db/test", "postgres://u:<password>@h/db", "postgres://u:${PW}@h/db", "redis://:password@h"]) {
      expect(found(connectionStringDetector, t), t).toEqual([]);
    }
  });
});

describe("secret.generic", () => {
  it("finds random values assigned to secret-like names", () => {
    const v = token(40, undefined, 50);
    expect(found(genericSecretDetector, `api_key = "${v}"`)).toEqual([{ label: "SECRET", text: v }]);
    expect(found(genericSecretDetector, `Authorization: Bearer ${v}`)).toEqual([{ label: "SECRET", text: v }]);
    expect(found(genericSecretDetector, "DB_PASSWORD=Winter#2023db")).toEqual([{ label: "SECRET", text: "Winter#2023db" }]);
  });
  it("ignores low-entropy values, placeholders, code and prose", () => {
    for (const t of [
      "password: ********",
      "api_key: ${API_KEY}",
      "token: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "max_tokens: 4096",
      "password = getpass.getpass()",
      "The password is required.",
      "secret_key: REPLACE_ME",
      "pwd: /home/user/projects",
    ]) {
      expect(found(genericSecretDetector, t), t).toEqual([]);
    }
  });
});
