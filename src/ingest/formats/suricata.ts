/**
 * Suricata EVE JSON. Records with `event_type: "alert"` become alerts; the other event types (flow, dns, http,
 * tls, fileinfo, stats…) are telemetry and are skipped here.
 * https://docs.suricata.io/en/latest/output/eve/eve-json-format.html
 */
import { z } from 'zod';
import { normalizeTechniques, parseSeverity, type AlertDraft, type Severity } from '../../domain/alert.js';
import { uniqueEntities, type Entity } from '../../domain/entity.js';
import { contentRef, validate, zs, type InputFormat } from '../format.js';
import { dropUndefined } from './autoir.js';
import { isObject, list, num, text, texts, type JsonObject } from '../../records/json.js';
import { normalizeIp, normalizeTimestamp } from '../../domain/entity-values.js';
import { createDomain, createFile, createIp, createUrl } from '../../domain/entity-builders.js';

const alertSchema = z.looseObject({
  timestamp: z.string().refine((value) => normalizeTimestamp(value) !== undefined, 'must be a date-time'),
  event_type: z.literal('alert'),
  flow_id: zs.strOrNum,
  src_ip: zs.str,
  dest_ip: zs.str,
  src_port: zs.num,
  dest_port: zs.num,
  host: zs.str,
  alert: z.looseObject({
    signature: z.string().min(1),
    signature_id: z.number(),
    gid: zs.num,
    rev: zs.num,
    category: zs.str,
    severity: zs.num,
    action: zs.str,
    metadata: z.record(z.string(), z.unknown()).nullish(),
  }),
});

/** EVE event types (Suricata 6–8), for recognising records that carry no flow (stats, decoder alerts). */
const eveEventTypes = new Set([
  'alert',
  'anomaly',
  'arp',
  'bittorrent-dht',
  'dcerpc',
  'dhcp',
  'dnp3',
  'dns',
  'drop',
  'email',
  'engine',
  'fileinfo',
  'flow',
  'frame',
  'ftp',
  'ftp_data',
  'http',
  'http2',
  'ike',
  'krb5',
  'ldap',
  'modbus',
  'mqtt',
  'netflow',
  'nfs',
  'pgsql',
  'quic',
  'rdp',
  'rfb',
  'sip',
  'smb',
  'smtp',
  'snmp',
  'ssh',
  'stats',
  'tftp',
  'tls',
  'websocket',
]);

/** Suricata's priority 1 (highest) … 4; ET's `signature_severity` metadata wins when present. */
function severityOf(priority: number | null | undefined, metadata: JsonObject | null | undefined): Severity {
  const named = texts(metadata?.signature_severity)[0];
  if (named) {
    const mapped =
      named.toLowerCase() === 'major'
        ? 'high'
        : named.toLowerCase() === 'minor'
          ? 'low'
          : parseSeverity(named);
    if (mapped) return mapped;
  }
  if (priority === 1) return 'high';
  if (priority === 2) return 'medium';
  if (priority === 3) return 'low';
  return 'informational';
}

/** Suricata classtype descriptions onto our categories (the rest are network intrusions). */
const categories: Readonly<Record<string, string>> = {
  'a network trojan was detected': 'malware',
  'malware command and control activity detected': 'commandAndControl',
  'potential corporate privacy violation': 'policyViolation',
  'potentially bad traffic': 'suspiciousActivity',
  'attempted administrator privilege gain': 'exploit',
  'successful administrator privilege gain': 'exploit',
  'attempted user privilege gain': 'exploit',
  'successful user privilege gain': 'exploit',
  'web application attack': 'exploit',
  'exploit kit activity detected': 'exploit',
  'detection of a network scan': 'discovery',
  'attempted information leak': 'discovery',
  'information leak': 'exfiltration',
  'large scale information leak': 'exfiltration',
  'attempted denial of service': 'impact',
  'denial of service': 'impact',
  'crypto currency mining activity detected': 'impact',
  'domain observed used for c2 detected': 'commandAndControl',
  'possible social engineering attempted': 'phishing',
};

export const suricataFormat: InputFormat = {
  id: 'suricata',
  description: 'Suricata EVE JSON (event_type "alert"; other event types are skipped)',
  sniff: (record) =>
    typeof record.event_type === 'string' &&
    typeof record.timestamp === 'string' &&
    ('flow_id' in record || 'src_ip' in record || eveEventTypes.has(record.event_type)),
  parse(record) {
    const eventType = (record as JsonObject).event_type;
    if (eventType !== 'alert')
      return { skipped: `Suricata ${String(eventType)} event (telemetry, not an alert)` };
    const eve = validate(alertSchema, record, 'not a valid Suricata EVE alert');
    const doc = record as JsonObject;
    const metadata = eve.alert.metadata as JsonObject | null | undefined;

    const entities: (Entity | undefined)[] = [
      createIp({ address: eve.src_ip, roles: ['source'] }),
      createIp({ address: eve.dest_ip, roles: ['destination'] }),
    ];
    const http = isObject(doc.http) ? doc.http : undefined;
    if (http) {
      const host = text(http.hostname);
      entities.push(createDomain({ name: host }));
      const path = text(http.url);
      if (host && path) {
        const port = num(http.http_port) ?? eve.dest_port ?? undefined;
        const scheme = port === 443 ? 'https' : 'http';
        const authority = normalizeIp(host)?.includes(':') ? `[${host}]` : host;
        const url = /^[a-z]+:\/\//i.test(path)
          ? path
          : `${scheme}://${authority}${port && port !== 80 && port !== 443 ? `:${port}` : ''}${path.startsWith('/') ? '' : '/'}${path}`;
        entities.push(createUrl({ url }));
      }
    }
    if (isObject(doc.tls)) entities.push(createDomain({ name: text(doc.tls.sni) }));
    if (isObject(doc.dns)) {
      const dns = doc.dns;
      entities.push(createDomain({ name: text(dns.rrname) }));
      for (const query of list(dns.queries))
        if (isObject(query)) entities.push(createDomain({ name: text(query.rrname) }));
    }
    for (const file of [...list(doc.files), ...(isObject(doc.fileinfo) ? [doc.fileinfo] : [])]) {
      if (isObject(file))
        entities.push(
          createFile({
            sha256: text(file.sha256),
            sha1: text(file.sha1),
            md5: text(file.md5),
            name: text(file.filename),
          }),
        );
    }

    const techniques = normalizeTechniques([
      ...texts(metadata?.mitre_technique_id),
      ...texts(metadata?.mitre_attack),
    ]);
    const sensor = eve.host ?? undefined;
    const sourceRef =
      eve.flow_id === undefined || eve.flow_id === null
        ? contentRef(record)
        : `${sensor ? `${sensor}/` : ''}${eve.flow_id}/${eve.alert.gid ?? 1}:${eve.alert.signature_id}/${normalizeTimestamp(eve.timestamp)}`;
    const draft: AlertDraft = {
      source: 'suricata',
      sourceRef,
      title: eve.alert.signature,
      description:
        [
          eve.alert.category,
          eve.alert.action ? `action ${eve.alert.action}` : undefined,
          sensor ? `sensor ${sensor}` : undefined,
        ]
          .filter(Boolean)
          .join('; ') || undefined,
      severity: severityOf(eve.alert.severity, metadata),
      category: categories[(eve.alert.category ?? '').toLowerCase()] ?? 'networkIntrusion',
      detector: `${eve.alert.gid ?? 1}:${eve.alert.signature_id}`,
      mitreTechniques: techniques,
      createdAt: normalizeTimestamp(eve.timestamp) as string,
      entities: uniqueEntities(entities),
    };
    return { alerts: [dropUndefined(draft)] };
  },
};
