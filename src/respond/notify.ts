/**
 * Notifications: when actions start waiting for approval, one digest per window to the configured webhook (not one
 * message per action), delivered through a `NotificationChannel` (the webhook connector's: signed like its
 * requests). An action is marked notified only once a digest naming it was delivered; a failed delivery is tried
 * again on the next pass.
 */
import { actionView, withoutReply } from './action-center.js';
import { loadPolicy } from './policy-config.js';
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
  const body = JSON.stringify({
    kind: 'autoir.actions.pending',
    sentAt: now().toISOString(),
    newlyPending: pending.length,
    totalPending: waiting,
    byType: Object.fromEntries(
      [...new Set(pending.map((action) => action.type))].map((type) => [
        type,
        pending.filter((action) => action.type === type).length,
      ]),
    ),
    actions: pending.map((action) => actionView(withoutReply(action))),
  });
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
