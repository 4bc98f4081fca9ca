import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendInviteEmail } from "~/features/members/server/send-invite-email";

let server: SMTPServer;
let port = 0;
const received: { to: string[]; body: string }[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let body = "";
      stream.on("data", (c: Buffer) => (body += c.toString("utf8")));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("invite email", () => {
  it("is sent over SMTP when configured, with the link", async () => {
    const sent = await sendInviteEmail(
      { url: `smtp://127.0.0.1:${port}`, from: "Switchyard <noreply@example.test>" },
      { to: "new@example.test", orgName: "Acme", role: "developer", inviteUrl: "http://localhost:3000/invite/abc123", invitedBy: "boss@example.test" },
    );
    expect(sent).toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(["new@example.test"]);
    expect(received[0]!.body).toContain("http://localhost:3000/invite/abc123");
    expect(received[0]!.body).toContain("Acme");
  });

  it("is skipped without SMTP, and a dead SMTP server is reported, not thrown", async () => {
    const payload = { to: "x@example.test", orgName: "A", role: "viewer", inviteUrl: "http://h/invite/t", invitedBy: "b@example.test" };
    expect(await sendInviteEmail(null, payload)).toBe(false);
    expect(await sendInviteEmail({ url: "smtp://127.0.0.1:1", from: "a@example.test" }, payload)).toBe(false);
  });
});
