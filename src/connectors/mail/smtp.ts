/**
 * autoir's outgoing mail: an SMTP relay (nodemailer) that replies to reporters and sends notifications, as the
 * `smtp` section of the mail settings (AUTOIR_MAIL) describes it. Connections go only where the outbound policy
 * allows; certificates are checked against the configured host name.
 */
import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { outboundAddress, type OutboundPolicy } from '../outbound.js';
import { tlsClientOptions } from '../tls.js';
import type { MailSender } from '../../respond/ports.js';

export const smtpSettingsSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** `starttls` (587, the default), `implicit` (465), or `none` (a relay on this host or a trusted link). */
    tls: z.enum(['starttls', 'implicit', 'none']).default('starttls'),
    ca: z.string().includes('-----BEGIN CERTIFICATE-----', { error: 'PEM certificates' }).optional(),
    serverName: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    /** `env:NAME` or `file:/path`. */
    password: z.string().min(1).optional(),
    /** The sender: `autoir <autoir@corp.example>`. */
    from: z.string().min(3),
  })
  .strict();

export type SmtpSettings = z.output<typeof smtpSettingsSchema>;

/** A sender over the relay `settings` describe (its password already read). */
export function smtpSender(settings: SmtpSettings, outbound: OutboundPolicy): MailSender {
  return {
    async send(message) {
      const address = await outboundAddress(settings.host, outbound);
      const transport = createTransport({
        host: address,
        port: settings.port,
        secure: settings.tls === 'implicit',
        ignoreTLS: settings.tls === 'none',
        requireTLS: settings.tls === 'starttls',
        tls: tlsClientOptions(settings.host, settings),
        ...(settings.user && settings.password
          ? { auth: { user: settings.user, pass: settings.password } }
          : {}),
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
      try {
        await transport.sendMail({
          from: settings.from,
          to: typeof message.to === 'string' ? message.to : [...message.to],
          subject: message.subject,
          text: message.text,
          ...(message.inReplyTo
            ? { inReplyTo: `<${message.inReplyTo}>`, references: `<${message.inReplyTo}>` }
            : {}),
          headers: { 'auto-submitted': 'auto-generated' },
        });
      } finally {
        transport.close();
      }
    },
  };
}
