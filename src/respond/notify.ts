/**
 * Notifications: when actions start waiting for approval, one digest per window to the configured webhook (not one
 * message per action), delivered through a `NotificationChannel` (the webhook connector's: signed like its
 * requests). An action is marked notified only once a digest naming it was delivered; a failed delivery is tried
 * again on the next pass.
 */
import { actionView, withoutReply } from './action-center.js';
import { actionCatalog, type ActionRecord } from '../domain/action.js';
import { loadPolicy, type NotificationFormat } from './policy-config.js';
import type { NotificationChannel, NotifyPorts } from './ports.js';

export interface NotifySummary {
  /** Actions in the digest sent (0 when none was due). */
  readonly notified: number;
  readonly error?: string;
}

/** Send a digest of pending actions when the oldest not yet notified has waited a digest window. */
export async function notifyPending(
  store: NotifyPorts,
  channel: NotificationChannel,
  now: () => Date,
  options: { force?: boolean } = {},
): Promise<NotifySummary> {
  const policy = await loadPolicy(store);
  const webhook = policy.notifications.webhook;
  if (!webhook) return { notified: 0 };
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
  const body = JSON.stringify(
    webhook.format && webhook.format !== 'autoir'
      ? chatMessage(webhook.format, digestText(pending, waiting, byType, policy.notifications.uiUrl))
      : {
          kind: 'autoir.actions.pending',
          sentAt: now().toISOString(),
          newlyPending: pending.length,
          totalPending: waiting,
          byType,
          actions: pending.map((action) => actionView(withoutReply(action))),
        },
  );
  try {
    await channel.send(webhook, body, now());
  } catch (error) {
    return { notified: 0, error: `notification webhook: ${(error as Error).message}` };
  }
  await store.actions.markNotified(
    pending.map((action) => action.key),
    now(),
  );
  return { notified: pending.length };
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
