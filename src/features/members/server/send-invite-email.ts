import { logger } from "~/lib/logger";

export interface SmtpSettings {
  url: string;
  from: string;
}

/**
 * Emails an invite link when SMTP is configured. Failure to send is reported (the console still
 * shows the link), never thrown: the invite itself was created.
 */
export async function sendInviteEmail(
  smtp: SmtpSettings | null,
  message: { to: string; orgName: string; role: string; inviteUrl: string; invitedBy: string },
): Promise<boolean> {
  if (!smtp) return false;
  try {
    const { createTransport } = await import("nodemailer");
    const transport = createTransport(smtp.url);
    await transport.sendMail({
      from: smtp.from,
      to: message.to,
      subject: `You're invited to ${message.orgName} on Switchyard`,
      text: [
        `${message.invitedBy} invited you to join ${message.orgName} on Switchyard as ${message.role}.`,
        "",
        `Accept the invite: ${message.inviteUrl}`,
        "",
        "The link works once and expires. If you did not expect this, ignore this email.",
      ].join("\n"),
    });
    transport.close();
    return true;
  } catch (err) {
    logger.warn("invite email could not be sent", { to: message.to, error: (err as Error).message });
    return false;
  }
}
