/**
 * The report mailbox, watched over IMAP: each new message in its folder is a report (mail-report.ts), taken once and
 * then moved to the processed folder (or, when it could not be taken, to a folder for a person to look at). Between
 * batches the connection waits in IDLE, so a report is taken within moments of its arrival; a lost connection is
 * opened again with a growing pause (up to a minute).
 */
import { ImapFlow } from 'imapflow';
import type { ConnectionOptions } from 'node:tls';
import { takeReport, type ReportIntakePorts } from './mail-report.js';
import type { Log } from '../domain/log.js';

export interface ReportMailboxOptions {
  /** The address to connect to (already allowed by the outbound policy), and its port. */
  readonly address: string;
  readonly port: number;
  readonly tls: 'implicit' | 'starttls' | 'none';
  readonly tlsOptions?: ConnectionOptions;
  readonly user: string;
  readonly password: string;
  /** Where reports arrive (default INBOX). */
  readonly folder: string;
  /** Where a taken report goes (default `Processed`). */
  readonly processedFolder: string;
  /** Where a report that could not be read goes (default `Unprocessed`). */
  readonly failedFolder: string;
  readonly now: () => Date;
  /** Reports taken (info), messages that could not be (warn), the connection failing (warn). */
  readonly log: Log;
}

export interface ReportBatch {
  readonly taken: number;
  readonly duplicates: number;
  readonly failed: number;
}

function client(options: ReportMailboxOptions): ImapFlow {
  const imap = new ImapFlow({
    host: options.address,
    port: options.port,
    secure: options.tls === 'implicit',
    doSTARTTLS: options.tls === 'starttls',
    ...(options.tlsOptions ? { tls: options.tlsOptions } : {}),
    auth: { user: options.user, pass: options.password },
    logger: false,
  });
  imap.on('error', (error: Error) => options.log.warn('report mailbox: connection error', { err: error }));
  return imap;
}

async function ensureFolder(imap: ImapFlow, name: string): Promise<void> {
  if (!(await imap.list()).some((folder) => folder.path === name)) await imap.mailboxCreate(name);
}

/** Take every message in the folder (the mailbox lock must be held): each report once, then moved away. */
async function drain(
  store: ReportIntakePorts,
  imap: ImapFlow,
  options: ReportMailboxOptions,
): Promise<ReportBatch> {
  const uids = ((await imap.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
  let [taken, duplicates, failed] = [0, 0, 0];
  for (const uid of uids) {
    const message = await imap.fetchOne(String(uid), { source: true }, { uid: true });
    const source = message ? message.source : undefined;
    let target = options.processedFolder;
    if (!source) continue;
    try {
      const intake = await takeReport(store, source, options.user, options.now);
      if (intake.created) taken++;
      else duplicates++;
      options.log.info(
        `report mailbox: ${intake.created ? 'took' : 'already had'} report ${intake.report.id} from ${intake.report.reporter}${intake.report.alertId ? ` (alert ${intake.report.alertId})` : ' (no message in it)'}`,
        {
          report: intake.report.id,
          reporter: intake.report.reporter,
          ...(intake.report.alertId ? { alert: intake.report.alertId } : {}),
        },
      );
    } catch (error) {
      // One bad report never stops the others: it waits in its own folder for a person.
      failed++;
      target = options.failedFolder;
      options.log.warn(`report mailbox: message ${uid} could not be taken`, { uid, err: error });
    }
    await ensureFolder(imap, target);
    await imap.messageMove(String(uid), target, { uid: true });
  }
  return { taken, duplicates, failed };
}

/** Take what is in the report mailbox now, once (`autoir reports fetch`, tests). */
export async function pollReportMailbox(
  store: ReportIntakePorts,
  options: ReportMailboxOptions,
): Promise<ReportBatch> {
  const imap = client(options);
  await imap.connect();
  try {
    const lock = await imap.getMailboxLock(options.folder);
    try {
      return await drain(store, imap, options);
    } finally {
      lock.release();
    }
  } finally {
    await imap.logout().catch(() => imap.close());
  }
}

/**
 * Watch the report mailbox until `signal` aborts: take what is there, wait in IDLE for more (at most five minutes
 * at a time), take it, and so on. Connection failures are logged and retried.
 */
export async function watchReportMailbox(
  store: ReportIntakePorts,
  options: ReportMailboxOptions,
  signal: AbortSignal,
): Promise<void> {
  let pause = 1000;
  while (!signal.aborted) {
    const imap = client(options);
    const stop = () => imap.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      await imap.connect();
      pause = 1000;
      while (!signal.aborted && imap.usable) {
        const lock = await imap.getMailboxLock(options.folder);
        try {
          await drain(store, imap, options);
        } finally {
          lock.release();
        }
        // imapflow waits in IDLE while nothing else runs; a new message (EXISTS) ends the wait. One that came
        // between the drain and now is already counted: take it at once.
        const opened = await imap.mailboxOpen(options.folder);
        if (opened.exists > 0) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, 5 * 60_000);
          function done() {
            clearTimeout(timer);
            imap.off('exists', done);
            imap.off('close', done);
            signal.removeEventListener('abort', done);
            resolve();
          }
          imap.on('exists', done);
          imap.on('close', done);
          signal.addEventListener('abort', done, { once: true });
        });
      }
    } catch (error) {
      if (!signal.aborted)
        options.log.warn(`report mailbox: unreachable; trying again in ${pause / 1000} s`, {
          err: error,
          retryInMs: pause,
        });
    } finally {
      signal.removeEventListener('abort', stop);
      await imap.logout().catch(() => imap.close());
    }
    if (signal.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 60_000);
  }
}
