import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db";
import * as schema from "~/server/db/schema";
import { userActor } from "~/server/domain/actor";
import { createBudget } from "~/features/limits/server/create-budget";
import { sendTestAlert } from "~/features/limits/server/send-test-alert";
import type { BudgetView } from "~/features/limits/server/budget-view";
import type { WebhookFetch } from "~/server/limits-config/alert-webhook";
import {
  createBudgetAlertSink,
  type BudgetAlertEvent,
} from "~/server/limits-config/budget-alert-sink";
import {
  SIGNATURE_HEADER,
  verifyWebhookSignature,
  webhookSigningSecret,
} from "~/server/limits-config/webhook-signing";
import { createTestDatabase } from "../helpers/db";
import { makeOrg, type OrgFixture } from "../helpers/factories";

/*
 * The alert sink the limits engine calls: a budget_alerts row once per budget/period/threshold,
 * and a signed POST to the org's webhook — delivered to a real local HTTP server when the
 * instance allows private addresses, refused without any connection when it does not.
 */

const SECRET = "instance-secret-for-tests-0123456789abcdef";

interface Received {
  headers: IncomingMessage["headers"];
  body: string;
}

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;
let budget: BudgetView;
let userBudget: BudgetView;
let server: Server;
let port: number;
let received: Received[] = [];
let connections = 0;
/** Statuses the server answers with, in order (then 200). */
let script: number[] = [];
const db = () => handle.db;

beforeAll(async () => {
  handle = await createTestDatabase();
  a = await makeOrg(handle.db, "Alerts A");
  b = await makeOrg(handle.db, "Alerts B");
  const actor = userActor(a.users.owner);
  budget = await createBudget(db(), {
    orgId: a.org.id,
    actor,
    input: {
      scope: "org",
      keyId: null,
      amountMicros: 10_000_000,
      period: "monthly",
      hard: true,
      alertThresholds: [50, 80, 100],
    },
  });
  userBudget = await createBudget(db(), {
    orgId: a.org.id,
    actor,
    input: {
      scope: "user",
      keyId: null,
      amountMicros: 1_000_000,
      period: "daily",
      hard: false,
      alertThresholds: [80],
    },
  });
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      const status = script.shift() ?? 200;
      if (status === 0) return; // never answer: a timeout
      res.writeHead(status, { "content-type": "text/plain" }).end("ok");
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await handle.close();
});
beforeEach(() => {
  received = [];
  connections = 0;
  script = [];
});

async function setWebhook(orgId: string, url: string | null) {
  await db()
    .insert(schema.orgLimitSettings)
    .values({ orgId, budgetAlertWebhookUrl: url })
    .onConflictDoUpdate({
      target: schema.orgLimitSettings.orgId,
      set: { budgetAlertWebhookUrl: url },
    });
}

const periodStart = Date.UTC(2031, 4, 1);
let thresholdSeq = 0;
function event(over: Partial<BudgetAlertEvent> = {}): BudgetAlertEvent {
  return {
    budget: { id: budget.id },
    orgId: a.org.id,
    keyId: a.keyId,
    endUser: null,
    thresholdPct: 50,
    spentMicros: 5_000_100,
    amountMicros: 10_000_000,
    periodStart: periodStart + thresholdSeq++ * 86_400_000,
    ...over,
  };
}

async function alertRow(id: string) {
  const [row] = await db()
    .select()
    .from(schema.budgetAlerts)
    .where(and(eq(schema.budgetAlerts.id, id), eq(schema.budgetAlerts.orgId, a.org.id)));
  return row!;
}

describe("createBudgetAlertSink", () => {
  it("records the alert and POSTs a signed payload (private addresses allowed on this instance)", async () => {
    await setWebhook(a.org.id, `http://127.0.0.1:${port}/hooks/budget`);
    const sink = createBudgetAlertSink(db(), { allowPrivate: true, instanceSecret: SECRET });
    const e = event({ thresholdPct: 80, spentMicros: 8_100_000 });
    const result = await sink(e);
    expect(result).toMatchObject({ webhook: "sent" });
    const row = await alertRow(result!.alertId);
    expect(row).toMatchObject({
      budgetId: budget.id,
      thresholdPct: 80,
      spentMicros: 8_100_000,
      amountMicros: 10_000_000,
      webhookStatus: "sent",
      webhookError: null,
      endUser: null,
    });
    expect(row.periodStart.getTime()).toBe(e.periodStart);

    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery!.headers["content-type"]).toBe("application/json");
    const signature = delivery!.headers[SIGNATURE_HEADER] as string;
    const secret = webhookSigningSecret(SECRET, a.org.id, 1);
    expect(verifyWebhookSignature(secret, delivery!.body, signature)).toBe(true);
    // A tampered body, another org's secret or a rotated secret do not verify.
    expect(verifyWebhookSignature(secret, delivery!.body.replace("80", "81"), signature)).toBe(
      false,
    );
    expect(
      verifyWebhookSignature(webhookSigningSecret(SECRET, b.org.id, 1), delivery!.body, signature),
    ).toBe(false);
    expect(
      verifyWebhookSignature(webhookSigningSecret(SECRET, a.org.id, 2), delivery!.body, signature),
    ).toBe(false);
    // An old delivery is refused by the receiver's tolerance.
    expect(
      verifyWebhookSignature(secret, delivery!.body, signature, {
        now: Math.floor(Date.now() / 1000) + 3600,
      }),
    ).toBe(false);

    expect(JSON.parse(delivery!.body)).toMatchObject({
      type: "budget.threshold_crossed",
      id: result!.alertId,
      org: { id: a.org.id, slug: a.org.slug },
      budget: {
        id: budget.id,
        scope: "org",
        period: "monthly",
        hard: true,
        amountMicros: 10_000_000,
        amountUsd: 10,
      },
      thresholdPct: 80,
      spentMicros: 8_100_000,
      spentUsd: 8.1,
      periodStart: new Date(e.periodStart).toISOString(),
      endUser: null,
    });

    // The same crossing reported again (another instance): nothing recorded, nothing sent.
    expect(await sink(e)).toBeNull();
    expect(received).toHaveLength(1);
  });

  it("per-user budgets record the end user; once per end user", async () => {
    await setWebhook(a.org.id, null);
    const sink = createBudgetAlertSink(db(), { allowPrivate: true, instanceSecret: SECRET });
    const base = { budget: { id: userBudget.id }, thresholdPct: 80, periodStart };
    const alice = await sink(event({ ...base, endUser: "alice" }));
    const bob = await sink(event({ ...base, endUser: "bob" }));
    expect(await sink(event({ ...base, endUser: "alice" }))).toBeNull();
    expect(alice).toMatchObject({ webhook: "none" });
    expect((await alertRow(bob!.alertId)).endUser).toBe("bob");
    expect(connections).toBe(0);
  });

  it("refuses loopback and metadata addresses by default: status failed, no connection", async () => {
    const calls: string[] = [];
    const spy: WebhookFetch = async (url) => {
      calls.push(url);
      return { status: 200, body: null };
    };
    const sink = createBudgetAlertSink(db(), {
      allowPrivate: false,
      instanceSecret: SECRET,
      fetch: spy,
    });
    for (const url of [
      `http://127.0.0.1:${port}/hooks/budget`,
      "http://169.254.169.254/latest/meta-data/",
      "http://[::ffff:127.0.0.1]:9/",
      "http://metadata.google.internal/",
    ]) {
      await setWebhook(a.org.id, url);
      const result = await sink(event());
      expect(result, url).toMatchObject({ webhook: "failed" });
      const row = await alertRow(result!.alertId);
      expect(row.webhookError).toMatch(/private, loopback, link-local or metadata/);
    }
    expect(calls).toEqual([]);
    expect(connections).toBe(0);

    // Without the spy: the real sender refuses before connecting too.
    await setWebhook(a.org.id, `http://127.0.0.1:${port}/hooks/budget`);
    const real = createBudgetAlertSink(db(), { allowPrivate: false, instanceSecret: SECRET });
    expect(await real(event())).toMatchObject({ webhook: "failed" });
    expect(connections).toBe(0);

    // A name that resolves to a private address is refused as well.
    await setWebhook(a.org.id, "https://hooks.example.test/x");
    const rebinding = createBudgetAlertSink(db(), {
      allowPrivate: false,
      instanceSecret: SECRET,
      fetch: spy,
      resolve: async () => ["10.0.0.7"],
    });
    const refused = await rebinding(event());
    expect((await alertRow(refused!.alertId)).webhookError).toMatch(/10\.0\.0\.7/);
    expect(calls).toEqual([]);
  });

  it("retries once on 5xx and on a timeout; 4xx is not retried; never throws", async () => {
    await setWebhook(a.org.id, `http://127.0.0.1:${port}/hooks/budget`);
    const sink = createBudgetAlertSink(db(), {
      allowPrivate: true,
      instanceSecret: SECRET,
      timeoutMs: 300,
      retryDelayMs: 10,
    });
    script = [503, 200];
    expect(await sink(event())).toMatchObject({ webhook: "sent" });
    expect(received).toHaveLength(2);

    received = [];
    script = [500, 502];
    const failed = await sink(event());
    expect(received).toHaveLength(2);
    expect((await alertRow(failed!.alertId)).webhookError).toBe("HTTP 502");

    received = [];
    script = [404];
    const notFound = await sink(event());
    expect(received).toHaveLength(1);
    expect((await alertRow(notFound!.alertId)).webhookError).toBe("HTTP 404");

    received = [];
    script = [0, 0];
    const started = Date.now();
    const slow = await sink(event());
    expect(received).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await alertRow(slow!.alertId)).webhookError).toMatch(/timed out after 300 ms/);

    // Nothing listening: a connection error, recorded, not thrown.
    await setWebhook(a.org.id, "http://127.0.0.1:1/nowhere");
    const down = await sink(event());
    expect((await alertRow(down!.alertId)).webhookError).toMatch(/connection failed/);
  });

  it("drops events for unknown budgets and budgets of another org (no row)", async () => {
    const sink = createBudgetAlertSink(db(), { allowPrivate: true, instanceSecret: SECRET });
    expect(await sink(event({ budget: { id: "bud_nope" } }))).toBeNull();
    expect(await sink(event({ orgId: b.org.id }))).toBeNull();
    const rows = await db()
      .select()
      .from(schema.budgetAlerts)
      .where(eq(schema.budgetAlerts.orgId, b.org.id));
    expect(rows).toHaveLength(0);
  });

  it("a test alert goes to the saved URL, signed, and says whether it arrived", async () => {
    await setWebhook(a.org.id, `http://127.0.0.1:${port}/hooks/budget`);
    const outcome = await sendTestAlert(db(), {
      orgId: a.org.id,
      actor: userActor(a.users.owner),
      env: { allowPrivate: true, instanceSecret: SECRET },
    });
    expect(outcome).toEqual({ status: "sent", httpStatus: 200 });
    expect(JSON.parse(received[0]!.body)).toMatchObject({ type: "budget.test", id: null });
    expect(
      verifyWebhookSignature(
        webhookSigningSecret(SECRET, a.org.id, 1),
        received[0]!.body,
        received[0]!.headers[SIGNATURE_HEADER] as string,
      ),
    ).toBe(true);
    const refused = await sendTestAlert(db(), {
      orgId: a.org.id,
      actor: userActor(a.users.owner),
      env: { allowPrivate: false, instanceSecret: SECRET },
    });
    expect(refused.status).toBe("failed");
    expect(received).toHaveLength(1);
  });
});
