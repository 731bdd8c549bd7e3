/**
 * What the syslog receiver (ingest/syslog-receiver.ts) makes records of, read as any other format:
 * - `cef`: an ArcSight CEF message (`{ cef: {vendor, product, signatureId, name, severity, extension}, syslog }`),
 *   an alert — CEF is what firewalls, proxies, IDS and EDR appliances emit;
 * - `syslog`: any other message (`{ syslog: {facility, severity, timestamp, hostname, appName, message…} }`), an
 *   event on its host; OpenSSH's sign-in lines become logons and failed logons with the user and address.
 * A message whose payload is JSON is not one of these: the receiver passes the JSON on, read as its own format.
 */
import type { AlertDraft, Severity } from '../../domain/alert.js';
import { uniqueEntities, type Entity } from '../../domain/entity.js';
import {
  createDevice,
  createDomain,
  createFile,
  createIp,
  createUrl,
  createUser,
} from '../../domain/entity-builders.js';
import { normalizeIp, normalizeTimestamp } from '../../domain/entity-values.js';
import { badInput } from '../../domain/errors.js';
import { EventBuilder } from '../event-builder.js';
import { contentRef, type InputFormat } from '../format.js';
import { isObject, text, type JsonObject } from '../../records/json.js';
import { dropUndefined } from './autoir.js';

/** CEF's 0–10 (or Low/Medium/High/Very-High) onto autoir's severities. */
export function cefSeverity(value: string | undefined): Severity {
  const named = value?.trim().toLowerCase();
  if (named === 'unknown' || named === undefined || named === '') return 'informational';
  if (named === 'low') return 'low';
  if (named === 'medium') return 'medium';
  if (named === 'high') return 'high';
  if (named === 'very-high' || named === 'very high') return 'critical';
  const number = Number(named);
  if (!Number.isFinite(number)) return 'informational';
  if (number >= 9) return 'critical';
  if (number >= 7) return 'high';
  if (number >= 4) return 'medium';
  if (number >= 1) return 'low';
  return 'informational';
}

/** CEF's `rt`/`end`/`start`: epoch milliseconds, or `MMM dd yyyy HH:mm:ss(.SSS)( zzz)`, or ISO 8601. */
export function cefTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (/^\d{12,14}$/.test(value)) return new Date(Number(value)).toISOString();
  const iso = normalizeTimestamp(value);
  if (iso) return iso;
  const parsed = Date.parse(
    value.includes(' ') && !/[zZ]|[+-]\d\d:?\d\d$| [A-Z]{3,4}$/.test(value) ? `${value} UTC` : value,
  );
  return Number.isFinite(parsed) ? new Date(parsed).toISOString() : undefined;
}

/** A host name or an address (CEF's `shost`/`dhost` hold either). */
function hostOrIp(value: string | undefined, role: 'source' | 'destination'): Entity | undefined {
  if (!value) return undefined;
  return normalizeIp(value) ? createIp({ address: value, roles: [role] }) : createDevice({ hostname: value });
}

export const cefFormat: InputFormat = {
  id: 'cef',
  description: 'ArcSight CEF messages received over syslog (vendor, product, signature, severity, extension)',
  sniff: (record) =>
    isObject(record.cef) && typeof record.cef.signatureId === 'string' && typeof record.cef.name === 'string',
  parse(record) {
    const cef = (record as JsonObject).cef as JsonObject;
    const syslog = isObject((record as JsonObject).syslog)
      ? ((record as JsonObject).syslog as JsonObject)
      : {};
    const extension = isObject(cef.extension) ? (cef.extension as Record<string, unknown>) : {};
    const x = (key: string) => text(extension[key]);
    const vendor = text(cef.vendor) ?? 'unknown';
    const product = text(cef.product) ?? 'unknown';
    const name = text(cef.name);
    if (!name) throw badInput('CEF: the event has no name', { field: 'cef.name' });
    const createdAt =
      cefTime(x('rt')) ??
      cefTime(x('end')) ??
      cefTime(x('start')) ??
      normalizeTimestamp(text(syslog.timestamp));
    if (!createdAt)
      throw badInput('CEF: no time (rt, end, start, or the syslog header)', { field: 'cef.extension.rt' });
    const hashes = x('fileHash') ?? x('oldFileHash');
    const entities: (Entity | undefined)[] = [
      createIp({ address: x('src'), roles: ['source'] }),
      createIp({ address: x('dst'), roles: ['destination'] }),
      createIp({ address: x('sourceTranslatedAddress'), roles: ['source'] }),
      createIp({ address: x('destinationTranslatedAddress'), roles: ['destination'] }),
      hostOrIp(x('shost'), 'source'),
      hostOrIp(x('dhost'), 'destination'),
      createUser({ name: x('suser'), domain: x('sntdom') }),
      createUser({ name: x('duser'), domain: x('dntdom') }),
      createDomain({ name: x('destinationDnsDomain') }),
      createUrl({ url: x('request') }),
      hashes || x('fname')
        ? createFile({
            sha256: hashes && /^[0-9a-f]{64}$/i.test(hashes) ? hashes : undefined,
            sha1: hashes && /^[0-9a-f]{40}$/i.test(hashes) ? hashes : undefined,
            md5: hashes && /^[0-9a-f]{32}$/i.test(hashes) ? hashes : undefined,
            name: x('fname'),
            directory: x('filePath'),
          })
        : undefined,
    ];
    // Where the message came from: the device that logged it, when it says no other.
    if (!x('dvchost') && !x('dvc')) entities.push(createDevice({ hostname: text(syslog.hostname) }));
    else entities.push(hostOrIp(x('dvchost') ?? x('dvc'), 'source'));
    const signatureId = text(cef.signatureId) ?? '';
    const draft: AlertDraft = {
      source: `cef:${vendor}/${product}`.toLowerCase(),
      sourceRef:
        x('externalId') ?? x('eventId') ?? contentRef({ cef, timestamp: text(syslog.timestamp) ?? null }),
      title: name,
      description:
        [
          x('msg'),
          x('act') ? `action ${x('act')}` : undefined,
          `${vendor} ${product} ${text(cef.productVersion) ?? ''}`.trim(),
        ]
          .filter(Boolean)
          .join('; ') || undefined,
      severity: cefSeverity(text(cef.severity)),
      category: x('cat'),
      detector: signatureId,
      mitreTechniques: [],
      createdAt,
      ...(cefTime(x('start')) ? { firstActivityAt: cefTime(x('start')) } : {}),
      ...(cefTime(x('end')) ? { lastActivityAt: cefTime(x('end')) } : {}),
      entities: uniqueEntities(entities),
      ...(Number(x('cnt')) > 1 ? { eventCount: Number(x('cnt')) } : {}),
    };
    return { alerts: [dropUndefined(draft)] };
  },
};

const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'audit',
  'alert',
  'clock',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];

/** OpenSSH's sign-in lines: accepted, failed, and invalid users. */
const SSHD_ACCEPTED = /^Accepted (\S+) for (\S+) from (\S+) port (\d+)/;
const SSHD_FAILED = /^Failed (\S+) for (?:invalid user )?(\S+) from (\S+) port (\d+)/;
const SSHD_INVALID = /^Invalid user (\S*) from (\S+)(?: port (\d+))?/;

export const syslogFormat: InputFormat = {
  id: 'syslog',
  description:
    'syslog messages received by the syslog receiver (sshd sign-ins as logons; anything else kept)',
  sniff: (record) =>
    isObject(record.syslog) && typeof record.syslog.message === 'string' && !('cef' in record),
  parse(record) {
    const syslog = (record as JsonObject).syslog as JsonObject;
    const timestamp = normalizeTimestamp(text(syslog.timestamp) ?? text(syslog.receivedAt));
    if (!timestamp) throw badInput('syslog: the message has no time', { field: 'syslog.timestamp' });
    const facility = typeof syslog.facility === 'number' ? syslog.facility : 1;
    const app = text(syslog.appName);
    const message = text(syslog.message) ?? '';
    const event = new EventBuilder({
      time: Date.parse(timestamp),
      format: 'syslog',
      source: `syslog/${FACILITIES[facility] ?? facility}`,
      code: app ?? '-',
      kind: 'other',
    });
    const f = event.fields;
    event.device(text(syslog.hostname));
    if (app === 'sshd') {
      const accepted = SSHD_ACCEPTED.exec(message);
      const failed = accepted ? undefined : SSHD_FAILED.exec(message);
      const invalid = accepted || failed ? undefined : SSHD_INVALID.exec(message);
      const match = accepted ?? failed;
      if (match) {
        event.kind = accepted ? 'logon' : 'logonFailed';
        event.outcome(accepted ? 'success' : 'failure');
        f.userKey = event.user({ name: match[2] });
        f.srcIp = event.ip(match[3]);
        f.srcPort = Number(match[4]);
        f.protocol = 'ssh';
      } else if (invalid) {
        event.kind = 'logonFailed';
        event.outcome('failure');
        f.userKey = event.user({ name: invalid[1] });
        f.srcIp = event.ip(invalid[2]);
        if (invalid[3]) f.srcPort = Number(invalid[3]);
        f.protocol = 'ssh';
      }
    }
    f.details = {
      message,
      severity: syslog.severity,
      ...(text(syslog.procId) ? { pid: text(syslog.procId) } : {}),
      ...(text(syslog.msgId) ? { msgId: text(syslog.msgId) } : {}),
    };
    return { alerts: [], events: [event.build()] };
  },
};
