import nodemailer, { type Transporter } from 'nodemailer';

export interface MailSettings {
  smtpUrl?: string;
  mailFrom: string;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

const transports = new Map<string, Transporter>();

/**
 * Sends account mail through SMTP_URL (nodemailer); without it the mail is printed to the server log, so a
 * platform with no mail server still lets people verify and reset (the operator reads the log).
 */
export async function sendMail(settings: MailSettings, mail: Mail): Promise<void> {
  if (!settings.smtpUrl) {
    console.log(`[mail] to ${mail.to}: ${mail.subject}\n${mail.text}\n[/mail]`);
    return;
  }
  let transport = transports.get(settings.smtpUrl);
  if (!transport) transports.set(settings.smtpUrl, (transport = nodemailer.createTransport(settings.smtpUrl)));
  await transport.sendMail({ from: settings.mailFrom, ...mail });
}
