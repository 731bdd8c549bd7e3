/** Investigations started by hand, from the CLI or the API: of an incident, a device, a user or a mailbox. */
import { entityTypeOfKey, normalizeEntityKey, type Entity } from '../domain/entity.js';
import { AutoirError } from '../domain/errors.js';
import type { PlaybookSet } from './playbooks.js';
import { parseIncidentId } from '../domain/ids.js';
import type { ManualPorts } from './ports.js';
import { createDevice } from '../domain/entity-builders.js';

/** The entity a manual investigation starts from: an incident, a device, a user or a mailbox. */
function manualTarget(target: string): { incidentId: number | null; entity?: Entity } {
  const incident = parseIncidentId(target);
  if (incident !== undefined) return { incidentId: incident };
  const key = normalizeEntityKey(target);
  const type = entityTypeOfKey(key);
  if (type === 'device') {
    const device = createDevice({ hostname: key.slice('device:'.length) });
    if (device) return { incidentId: null, entity: device };
  }
  if (type === 'user' || type === 'mailbox') {
    const value = key.slice(type.length + 1);
    const entity =
      type === 'user'
        ? ({
            type,
            key,
            ...(value.includes('\\')
              ? { domain: value.split('\\')[0], name: value.split('\\')[1] }
              : { name: value }),
          } as Entity)
        : ({ type, key, address: value } as Entity);
    return { incidentId: null, entity };
  }
  throw new AutoirError(
    'AUTOIR_E_BAD_USAGE',
    `cannot investigate ${target}: give an incident id (inc_3), a device (device:host), a user (user:domain\\name) or a mailbox (mailbox:a@b)`,
  );
}

/** Start an investigation by hand (CLI and API). */
export async function startManualInvestigation(
  store: ManualPorts,
  input: { target: string; by: string; comment?: string; playbook?: string },
  playbooks: PlaybookSet,
  now: Date,
): Promise<string> {
  const { incidentId, entity } = manualTarget(input.target);
  const playbook = input.playbook ?? (entity ? playbooks.general.id : undefined);
  let chosen = playbook;
  let alertIds: number[] = [];
  if (incidentId !== null) {
    const incident = await store.incidents.getIncident(input.target);
    if (!incident) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no incident ${input.target}`);
    const alerts = await store.alerts.listAlerts({ incidentId: input.target }, { limit: 1000 });
    alertIds = alerts.items.map((alert) => Number(alert.id.slice('alr_'.length)));
    chosen = chosen ?? playbooks.choose(alerts.items)?.id ?? playbooks.general.id;
  }
  if (chosen && !playbooks.playbooks.has(chosen))
    throw new AutoirError(
      'AUTOIR_E_BAD_USAGE',
      `no playbook ${chosen} (known: ${[...playbooks.playbooks.keys()].join(', ')})`,
    );
  return store.investigations.create(
    {
      incidentId,
      playbook: chosen ?? playbooks.general.id,
      trigger: {
        kind: 'manual',
        target: input.target,
        by: input.by,
        ...(input.comment ? { comment: input.comment } : {}),
      },
      status: 'queued',
      alertIds,
      includeIncidentAlerts: incidentId !== null,
      ...(entity ? { evidence: [entity] } : {}),
    },
    now,
  );
}
