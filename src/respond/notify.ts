/**
 * Notifications, to the policy's chat webhook (signed like the webhook connector's requests; autoir's JSON or a
 * chat's shape) and by e-mail (through autoir's SMTP relay, to `notifications.email.to`):
 * - actions waiting for approval: one digest per window, not one message per action; an action is marked notified
 *   only once a digest naming it was delivered somewhere;
 * - new incidents of `notifications.incidents.minSeverity` or above, and investigations as they conclude
 *   (`notifications.investigations`): each announced once, across workers (a claim in the store); only those of
 *   the last hour, so that turning notifications on does not announce the past.
 * A failed delivery is tried again on the next pass.
 */
import { actionView, withoutReply } from './action-center.js';
import { actionCatalog, type ActionRecord } from '../domain/action.js';
import { severityRank } from '../domain/alert.js';
import type { IncidentSummary } from '../domain/incident.js';
import { terminalInvestigationStatuses, type InvestigationRecord } from '../domain/investigation.js';
import { loadPolicy, type NotificationFormat, type ResponsePolicy } from './policy-config.js';
import type { MailSender, NotificationChannel, NotifyPorts } from './ports.js';

export interface NotifySummary {
  /** Actions in the digest sent (0 when none was due). */
  readonly notified: number;
  readonly error?: string;
}

/** Where notifications can go: the webhook channel (for the policy's webhook) and autoir's mail relay. */
export interface NotificationChannels {
  readonly webhook?: NotificationChannel;
  readonly mail?: MailSender;
}

/** One notification: its text (chat, e-mail), its JSON (autoir's webhook format) and an e-mail subject. */
interface Notice {
  readonly subject: string;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

/** Deliver a notice everywhere the policy says; the errors of the places that failed, and whether any took it. */
async function deliver(
  policy: ResponsePolicy,
  channels: NotificationChannels,
  notice: Notice,
  now: Date,
): Promise<{ delivered: boolean; errors: string[] }> {
  const { webhook, email } = policy.notifications;
  const errors: string[] = [];
  let delivered = false;
  if (webhook && channels.webhook) {
    const body = JSON.stringify(
      webhook.format && webhook.format !== 'autoir' ? chatMessage(webhook.format, notice.text) : notice.json,
    );
    try {
      await channels.webhook.send(webhook, body, now);
      delivered = true;
    } catch (error) {
      errors.push(`notification webhook: ${(error as Error).message}`);
    }
  }
  if (email && channels.mail) {
    try {
      await channels.mail.send({ to: email.to, subject: notice.subject, text: notice.text });
      delivered = true;
    } catch (error) {
      errors.push(`notification e-mail: ${(error as Error).message}`);
    }
  }
  return { delivered, errors };
}

/** Whether any place to notify is configured and reachable. */
function canNotify(policy: ResponsePolicy, channels: NotificationChannels): boolean {
  return (
    (policy.notifications.webhook !== null && channels.webhook !== undefined) ||
    (policy.notifications.email !== null && channels.mail !== undefined)
  );
}

/** Send a digest of pending actions when the oldest not yet notified has waited a digest window. */
export async function notifyPending(
  store: NotifyPorts,
  channels: NotificationChannels,
  now: () => Date,
  options: { force?: boolean } = {},
): Promise<NotifySummary> {
  const policy = await loadPolicy(store);
  if (!canNotify(policy, channels)) return { notified: 0 };
  const pending = await store.actions.pendingUnnotified(1000);
  const oldest = pending[0];
  if (!oldest) return { notified: 0 };
  if (!options.force && now().getTime() - Date.parse(oldest.createdAt) < policy.notifications.digestMs)
    return { notified: 0 };
  const waiting = await store.actions.count({ statuses: ['pendingApproval'] });
  const byType = Object.fromEntries(
    [...new Set(pending.map((action) => action.type))].map((type) => [
      type,
      pending.filter((action) => action.type === type).length,
    ]),
  );
  const { delivered, errors } = await deliver(
    policy,
    channels,
    {
      subject: `autoir: ${pending.length} actions wait for approval`,
      text: digestText(pending, waiting, byType, policy.notifications.uiUrl),
      json: {
        kind: 'autoir.actions.pending',
        sentAt: now().toISOString(),
        newlyPending: pending.length,
        totalPending: waiting,
        byType,
        actions: pending.map((action) => actionView(withoutReply(action))),
      },
    },
    now(),
  );
  if (!delivered) return { notified: 0, ...(errors.length ? { error: errors.join('; ') } : {}) };
  await store.actions.markNotified(
    pending.map((action) => action.key),
    now(),
  );
  return { notified: pending.length, ...(errors.length ? { error: errors.join('; ') } : {}) };
}

const recentMs = 60 * 60_000;

/** The text of a new incident's announcement. */
export function incidentText(incident: IncidentSummary, uiUrl: string | undefined): string {
  const entities = incident.entities
    .slice(0, 5)
    .map((entity) => entity.key)
    .join(', ');
  return [
    `autoir: new ${incident.severity} incident ${incident.id}: ${incident.title}`,
    `${incident.alertCount} alerts${entities ? `; ${entities}` : ''}`,
    ...(uiUrl ? [`${uiUrl}/incidents/${incident.id}`] : []),
  ].join('\n');
}

/** The text of a concluded investigation's announcement. */
export function investigationText(investigation: InvestigationRecord, uiUrl: string | undefined): string {
  return [
    `autoir: investigation ${investigation.id} (${investigation.playbook}) ended: ${investigation.status}${investigation.statusReason ? ` — ${investigation.statusReason}` : ''}`,
    ...(investigation.incidentId ? [`incident ${investigation.incidentId}`] : []),
    ...(uiUrl ? [`${uiUrl}/investigations/${investigation.id}`] : []),
  ].join('\n');
}

/** Announce new incidents above the policy's severity and concluded investigations, each once. */
export async function notifyEvents(
  store: NotifyPorts,
  channels: NotificationChannels,
  now: () => Date,
): Promise<{ readonly announced: number; readonly errors: readonly string[] }> {
  const policy = await loadPolicy(store);
  const { incidents, investigations, uiUrl } = policy.notifications;
  if (!canNotify(policy, channels) || (!incidents && !investigations)) return { announced: 0, errors: [] };
  const since = new Date(now().getTime() - recentMs).toISOString();
  const notices: { kind: string; subject: string; notice: Notice }[] = [];
  if (incidents) {
    const page = await store.incidents.listIncidents(
      { minSeverity: incidents.minSeverity, since },
      { limit: 50 },
    );
    for (const incident of page.items)
      if (
        incident.createdAt >= since &&
        severityRank(incident.severity) >= severityRank(incidents.minSeverity)
      )
        notices.push({
          kind: 'incident',
          subject: incident.id,
          notice: {
            subject: `autoir: ${incident.severity} incident ${incident.id}: ${incident.title}`,
            text: incidentText(incident, uiUrl),
            json: { kind: 'autoir.incident.created', sentAt: now().toISOString(), incident },
          },
        });
  }
  if (investigations) {
    const page = await store.investigations.list({ statuses: terminalInvestigationStatuses }, { limit: 50 });
    for (const investigation of page.items)
      if (investigation.endedAt !== null && investigation.endedAt >= since)
        notices.push({
          kind: 'investigation',
          subject: investigation.id,
          notice: {
            subject: `autoir: investigation ${investigation.id} ended: ${investigation.status}`,
            text: investigationText(investigation, uiUrl),
            json: {
              kind: 'autoir.investigation.concluded',
              sentAt: now().toISOString(),
              investigation: {
                id: investigation.id,
                incidentId: investigation.incidentId,
                playbook: investigation.playbook,
                status: investigation.status,
                statusReason: investigation.statusReason,
                endedAt: investigation.endedAt,
              },
            },
          },
        });
  }
  let announced = 0;
  const errors: string[] = [];
  for (const { kind, subject, notice } of notices) {
    if (!(await store.notices.claim(kind, subject, now()))) continue;
    const result = await deliver(policy, channels, notice, now());
    errors.push(...result.errors);
    if (result.delivered) announced++;
    else await store.notices.release(kind, subject);
  }
  return { announced, errors };
}

/** The digest as a person reads it: counts, the first actions with why, and where to decide. */
export function digestText(
  pending: readonly ActionRecord[],
  total: number,
  byType: Record<string, number>,
  uiUrl: string | undefined,
): string {
  const counts = Object.entries(byType)
    .map(([type, count]) => `${count} ${type}`)
    .join(', ');
  const lines = [`autoir: ${pending.length} new actions wait for approval (${total} in all): ${counts}`];
  for (const action of pending.slice(0, 10))
    lines.push(
      `• ${actionCatalog[action.type].title} — ${action.targetKey} (${action.id}): ${action.reasons[0] ?? ''}`,
    );
  if (pending.length > 10) lines.push(`… and ${pending.length - 10} more`);
  if (uiUrl) lines.push(`Decide in the action center: ${uiUrl}/actions`);
  return lines.join('\n');
}

/** What each chat's incoming webhook takes: Slack and Mattermost a `text`; Teams (Workflows) an Adaptive Card. */
export function chatMessage(
  format: Exclude<NotificationFormat, 'autoir'>,
  text: string,
): Record<string, unknown> {
  if (format !== 'teams') return { text };
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: text.split('\n').map((line, index) => ({
            type: 'TextBlock',
            text: line,
            wrap: true,
            ...(index === 0 ? { weight: 'Bolder' } : {}),
          })),
        },
      },
    ],
  };
}
