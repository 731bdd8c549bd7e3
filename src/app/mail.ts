/**
 * autoir's own mail, from the YAML file `AUTOIR_MAIL` (read at start; a mistake stops the start, naming the file and
 * the field): the SMTP relay it sends through (`smtp`), and the report mailbox employees forward suspicious mail to
 * (`reportMailbox`). Passwords are `env:NAME` or `file:/path` references, read when the file is loaded. Defined on
 * the host only: nothing the API configures can point autoir at another mailbox.
 *
 *   smtp:
 *     host: smtp.corp.example
 *     port: 587
 *     tls: starttls
 *     user: autoir@corp.example
 *     password: env:AUTOIR_SMTP_PASSWORD
 *     from: autoir <autoir@corp.example>
 *   reportMailbox:
 *     host: imap.corp.example
 *     user: phishing@corp.example
 *     password: env:AUTOIR_REPORT_PASSWORD
 */
import { z } from 'zod';
import { readSettingsFile } from './settings-file.js';
import { smtpSender, smtpSettingsSchema, type SmtpSettings } from '../connectors/mail/smtp.js';
import { outboundAddress, type OutboundPolicy } from '../connectors/outbound.js';
import { isSecretReference, resolveSecret } from '../connectors/secrets.js';
import { tlsClientOptions } from '../connectors/tls.js';
import type { ReportMailboxOptions } from '../ingest/report-mailbox.js';
import type { MailSender } from '../respond/ports.js';
import type { Log } from '../domain/log.js';

const reportMailboxSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(993),
    tls: z.enum(['implicit', 'starttls', 'none']).default('implicit'),
    ca: z.string().includes('-----BEGIN CERTIFICATE-----', { error: 'PEM certificates' }).optional(),
    serverName: z.string().min(1).optional(),
    user: z.string().min(1),
    password: z.string().refine(isSecretReference, 'env:NAME or file:/path (never the password itself)'),
    folder: z.string().min(1).default('INBOX'),
    processedFolder: z.string().min(1).default('Processed'),
    failedFolder: z.string().min(1).default('Unprocessed'),
  })
  .strict();

const mailFileSchema = z
  .object({
    smtp: smtpSettingsSchema
      .refine((smtp) => smtp.password === undefined || isSecretReference(smtp.password), {
        error: 'env:NAME or file:/path (never the password itself)',
        path: ['password'],
      })
      .optional(),
    reportMailbox: reportMailboxSchema.optional(),
  })
  .strict();

export type ReportMailboxSettings = z.output<typeof reportMailboxSchema>;

export interface MailSettings {
  readonly smtp?: SmtpSettings;
  readonly reportMailbox?: ReportMailboxSettings;
}

/** The mail settings of a YAML file, passwords read; `AUTOIR_E_BAD_INPUT` naming the file and field otherwise. */
export function loadMailFile(file: string, env: NodeJS.ProcessEnv = process.env): MailSettings {
  const data = readSettingsFile(file, mailFileSchema, {});
  const read = (value: string | undefined, field: string) =>
    value === undefined ? undefined : resolveSecret(value, { env }, `${file}: ${field}`);
  const { smtp, reportMailbox } = data;
  return {
    ...(smtp
      ? { smtp: { ...smtp, ...(smtp.password ? { password: read(smtp.password, 'smtp.password') } : {}) } }
      : {}),
    ...(reportMailbox
      ? {
          reportMailbox: {
            ...reportMailbox,
            password: read(reportMailbox.password, 'reportMailbox.password') as string,
          },
        }
      : {}),
  };
}

/** The sender over the configured relay, or `undefined` when there is none. */
export function mailSender(settings: MailSettings, outbound: OutboundPolicy): MailSender | undefined {
  return settings.smtp ? smtpSender(settings.smtp, outbound) : undefined;
}

/** How the report mailbox is reached (its address checked against the outbound policy now). */
export async function reportMailboxOptions(
  settings: ReportMailboxSettings,
  outbound: OutboundPolicy,
  log: Log,
  now: () => Date = () => new Date(),
): Promise<ReportMailboxOptions> {
  return {
    address: await outboundAddress(settings.host, outbound),
    port: settings.port,
    tls: settings.tls,
    tlsOptions: tlsClientOptions(settings.host, settings),
    user: settings.user,
    password: settings.password,
    folder: settings.folder,
    processedFolder: settings.processedFolder,
    failedFolder: settings.failedFolder,
    now,
    log,
  };
}
