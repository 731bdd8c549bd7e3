/**
 * Triggering: alerts correlated into an incident are handed to its investigation. An incident whose investigation
 * is still open takes the new alerts into it (it re-evaluates); otherwise a new investigation starts with the
 * playbook the triggering table picks for the incident's alerts, or ends at once `unsupportedAlertType` when no
 * playbook takes them.
 */
import { entityWeakness } from '../domain/entity-strength.js';
import type { PlaybookSet } from './playbooks.js';
import { publicAlertId } from '../domain/ids.js';
import type { TriggerPorts, UninvestigatedAlert } from './ports.js';

export interface TriggerSummary {
  readonly created: number;
  readonly joined: number;
  readonly unsupported: number;
}

export async function triggerInvestigations(
  store: TriggerPorts,
  playbooks: PlaybookSet,
  now: () => Date = () => new Date(),
  batchSize = 500,
): Promise<TriggerSummary> {
  let created = 0;
  let joined = 0;
  let unsupported = 0;
  // Nothing waiting (most passes of an idle worker): no transaction, no lock shared with correlation.
  if ((await store.investigations.uninvestigatedAlerts(1)).length === 0)
    return { created, joined, unsupported };
  for (;;) {
    const done = await store.transaction(async (tx) => {
      // The correlation lock: two workers never both start an investigation for one incident.
      await tx.incidents.lockForCorrelation();
      const alerts = await tx.investigations.uninvestigatedAlerts(batchSize);
      if (alerts.length === 0) return true;
      const byIncident = new Map<number, UninvestigatedAlert[]>();
      for (const alert of alerts) {
        const list = byIncident.get(alert.incidentId) ?? [];
        list.push(alert);
        byIncident.set(alert.incidentId, list);
      }
      for (const [incidentId, group] of byIncident) {
        const ids = group.map((alert) => alert.id);
        // The incident's open investigation; else one that already holds an entity these alerts name strongly
        // (a device scope expansion brought in, the payload's hash): the alert joins the story it belongs to.
        const open =
          (await tx.investigations.openInvestigationOf(incidentId)) ??
          (await tx.investigations.openInvestigationWith(
            group.flatMap((alert) =>
              alert.record.entities
                .filter(
                  (entity) =>
                    entityWeakness(entity) === undefined && !(entity.roles ?? []).includes('contextual'),
                )
                .map((entity) => entity.key),
            ),
          ));
        if (open) {
          await tx.investigations.joinAlerts(open.key, ids, now());
          joined += ids.length;
          continue;
        }
        const playbook = playbooks.choose(group.map((alert) => alert.record));
        const first = group[0] as UninvestigatedAlert;
        await tx.investigations.create(
          {
            incidentId,
            playbook: playbook?.id ?? 'none',
            trigger: { kind: 'alert', alertId: publicAlertId(first.id) },
            status: playbook ? 'queued' : 'unsupportedAlertType',
            ...(playbook
              ? {}
              : {
                  statusReason: `no playbook takes these alerts (categories: ${[...new Set(group.map((a) => a.record.category ?? 'none'))].join(', ')})`,
                }),
            alertIds: ids,
            includeIncidentAlerts: true,
          },
          now(),
        );
        if (playbook) created++;
        else unsupported++;
      }
      // A batch not full was all there was: alerts that arrive meanwhile are the next pass's.
      return alerts.length < batchSize;
    });
    if (done) return { created, joined, unsupported };
  }
}
