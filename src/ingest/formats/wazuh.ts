/**
 * Wazuh alerts as written to `/var/ossec/logs/alerts/alerts.json` (and indexed in `wazuh-alerts-*`):
 * `rule`, `agent`, `manager`, `data` (incl. `data.win` for Windows events), `syscheck` for file integrity.
 * https://documentation.wazuh.com/current/user-manual/ruleset/
 */
import { z } from 'zod';
import {
  normalizeCategory,
  normalizeTechniques,
  type AlertDraft,
  type Severity,
} from '../../domain/alert.js';
import { uniqueEntities, type Entity } from '../../domain/entity.js';
import { validate, zs, type InputFormat } from '../format.js';
import { windowsEventEntities } from '../../records/windows-entities.js';
import { dropUndefined } from './autoir.js';
import { isObject, text, type JsonObject } from '../../records/json.js';
import { normalizeTimestamp } from '../../domain/entity-values.js';
import {
  createDevice,
  createDomain,
  createFile,
  createIp,
  createProcess,
  createUrl,
  createUser,
  deviceRef,
} from '../../domain/entity-builders.js';

const alertSchema = z.looseObject({
  id: z.union([z.string(), z.number()]),
  timestamp: z.string().refine((value) => normalizeTimestamp(value) !== undefined, 'must be a date-time'),
  rule: z.looseObject({
    level: z.union([z.number(), z.string().regex(/^\d+$/)]),
    description: z.string().min(1),
    id: zs.strOrNum,
    groups: zs.strs,
    mitre: z.looseObject({ id: zs.strs, tactic: zs.strs }).nullish(),
  }),
  agent: z.looseObject({ id: zs.strOrNum, name: zs.str, ip: zs.str }).nullish(),
  manager: z.looseObject({ name: zs.str }).nullish(),
  data: z.looseObject({}).nullish(),
  syscheck: z.looseObject({ path: zs.str }).nullish(),
});

/** Wazuh rule levels 0–15 onto our five severities. */
export function wazuhSeverity(level: number): Severity {
  if (level >= 14) return 'critical';
  if (level >= 11) return 'high';
  if (level >= 7) return 'medium';
  if (level >= 3) return 'low';
  return 'informational';
}

export const wazuhFormat: InputFormat = {
  id: 'wazuh',
  description: 'Wazuh alerts.json (rule, agent, data, syscheck)',
  sniff: (record) =>
    isObject(record.rule) &&
    'level' in record.rule &&
    (isObject(record.agent) || isObject(record.manager)) &&
    'timestamp' in record,
  parse(record) {
    const alert = validate(alertSchema, record, 'not a valid Wazuh alert');
    const doc = record as JsonObject;
    const data = isObject(doc.data) ? doc.data : {};
    const win = isObject(data.win) ? data.win : undefined;
    const system = win && isObject(win.system) ? win.system : {};
    const eventData = win && isObject(win.eventdata) ? unescapeValues(win.eventdata) : undefined;

    // The agent is the device, except the manager's own agent (000) reporting a remote log source.
    const agentName =
      alert.agent?.id === '000' || alert.agent?.id === 0 ? undefined : (alert.agent?.name ?? undefined);
    const computer = text(system.computer);
    const device = createDevice({
      hostname: computer ?? agentName ?? text(getPredecoderHost(doc)),
      ips: [alert.agent?.ip],
      externalIds: { wazuh: alert.agent?.id ?? undefined },
    });
    const deviceName = device ? deviceRef(device.key) : undefined;

    const entities: (Entity | undefined)[] = [device];
    if (eventData) entities.push(...windowsEventEntities(deviceName, eventData));
    entities.push(
      createIp({ address: text(data.srcip), roles: ['source'] }),
      createIp({ address: text(data.dstip), roles: ['destination'] }),
      createUser({ name: text(data.srcuser) ?? text(data.dstuser) }),
      createUrl({ url: text(data.url) }),
      createDomain({ name: text(data.hostname) }),
    );
    entities.push(...syscheckEntities(doc.syscheck, deviceName));

    const draft: AlertDraft = {
      source: 'wazuh',
      // Wazuh alert ids are unique per manager.
      sourceRef: alert.manager?.name ? `${alert.manager.name}/${alert.id}` : String(alert.id),
      title: alert.rule.description,
      description: text(doc.full_log),
      severity: wazuhSeverity(Number(alert.rule.level)),
      category: normalizeCategory(alert.rule.mitre?.tactic?.[0] ?? undefined),
      detector: alert.rule.id === undefined || alert.rule.id === null ? undefined : `wazuh:${alert.rule.id}`,
      mitreTechniques: normalizeTechniques([
        ...(alert.rule.mitre?.id ?? []),
        ...ruleNameTechniques(eventData),
      ]),
      createdAt: normalizeTimestamp(alert.timestamp) as string,
      entities: uniqueEntities(entities),
    };
    return { alerts: [dropUndefined(draft)] };
  },
};

function getPredecoderHost(doc: JsonObject): unknown {
  return isObject(doc.predecoder) ? doc.predecoder.hostname : undefined;
}

/** Sysmon's RuleName often carries `technique_id=T1204,…`. */
function ruleNameTechniques(eventData: Record<string, unknown> | undefined): string[] {
  const ruleName = eventData ? text(eventData.ruleName ?? eventData.RuleName) : undefined;
  return ruleName
    ? [...ruleName.matchAll(/technique_id=(T\d{4}(?:\.\d{3})?)/gi)].map((match) => match[1] as string)
    : [];
}

function syscheckEntities(syscheck: unknown, device: string | undefined): (Entity | undefined)[] {
  if (!isObject(syscheck)) return [];
  const audit = isObject(syscheck.audit) ? syscheck.audit : {};
  const auditProcess = isObject(audit.process) ? audit.process : {};
  const user = isObject(audit.user) ? createUser({ name: text(audit.user.name) }) : undefined;
  const loginUser = isObject(audit.login_user)
    ? createUser({ name: text(audit.login_user.name) })
    : undefined;
  const changed = createFile({
    sha256: text(syscheck.sha256_after),
    sha1: text(syscheck.sha1_after),
    md5: text(syscheck.md5_after),
    path: text(syscheck.path),
    size: text(syscheck.size_after),
    device,
    roles: [
      text(syscheck.event) === 'deleted'
        ? 'deleted'
        : text(syscheck.event) === 'added'
          ? 'created'
          : 'edited',
    ],
  });
  const processImage = text(auditProcess.name);
  return [
    changed,
    user,
    loginUser,
    createProcess({
      device,
      pid: text(auditProcess.id),
      imagePath: processImage,
      userKey: (loginUser ?? user)?.key,
    }),
  ];
}

/**
 * Wazuh 4.x escapes Windows event data twice (`C:\\\\Windows` in the JSON, `\\"` around quoted paths). Undo it
 * only where every backslash is doubled, so that a value escaped once (a UNC path) is left alone.
 */
export function unescapeValues(data: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data))
    out[key] = typeof value === 'string' ? unescapeTwice(value) : value;
  return out;
}

function unescapeTwice(value: string): string {
  if (!value.includes('\\')) return value;
  const runs = value.replace(/\\"/g, '"').match(/\\+/g) ?? [];
  if (runs.length === 0) return value.replace(/\\"/g, '"');
  if (!runs.every((run) => run.length % 2 === 0)) return value;
  return value.replace(/\\(["\\])/g, '$1');
}
