/**
 * Zeek logs — conn, dns, http, files, ssl, x509, smb_files, smb_mapping, kerberos, ntlm and any other — as JSON
 * (one object per line) or as Zeek's own TSV (`#separator`, `#fields`, `#types` headers; zeek-tsv.ts). A Zeek
 * sensor sees the network, not devices: events name IPs, ports, domains, URLs, files and accounts.
 */
import { KeySet, type EventDraft, type EventKind, type EventOutcome } from '../../domain/event.js';
import { badInput } from '../../domain/errors.js';
import { type InputFormat } from '../format.js';
import { isObject, type JsonObject } from '../../records/json.js';
import { normalizeDomain, normalizeHash, normalizeIp, normalizeUrl } from '../../domain/entity-values.js';
import { createUser } from '../../domain/entity-builders.js';

/** Which log a record belongs to: its `_path`, else told by its fields. */
export function zeekPath(record: JsonObject): string {
  if (typeof record._path === 'string' && record._path !== '') return record._path;
  const has = (field: string) => field in record;
  if (has('conn_state') || (has('proto') && has('history'))) return 'conn';
  if (has('query') && (has('qtype_name') || has('rcode') || has('trans_id'))) return 'dns';
  if (has('method') && has('uri')) return 'http';
  if (has('fuid') && (has('mime_type') || has('seen_bytes') || has('analyzers'))) return 'files';
  if (has('server_name') || (has('cipher') && has('version') && has('established'))) return 'ssl';
  if (has('certificate.subject') || (isObject(record.certificate) && 'subject' in record.certificate))
    return 'x509';
  if (has('request_type') && has('service')) return 'kerberos';
  if (has('share_type')) return 'smb_mapping';
  if (has('action') && has('name') && has('path') && has('uid')) return 'smb_files';
  if (has('username') && has('hostname') && has('domainname')) return 'ntlm';
  return 'unknown';
}

export const zeekFormat: InputFormat = {
  id: 'zeek',
  description: 'Zeek logs (conn, dns, http, files, ssl, x509, smb_*, kerberos, ntlm…), JSON or TSV',
  sniff: (record) =>
    ('ts' in record &&
      ('uid' in record || 'fuid' in record) &&
      ('id.orig_h' in record || 'fuid' in record)) ||
    ('_path' in record && 'ts' in record),
  parse(record) {
    if (!isObject(record)) throw badInput('zeek: expected a JSON object');
    return { alerts: [], events: [zeekEventDraft(record)] };
  },
};

const KINDS: Record<string, EventKind> = {
  conn: 'networkConnection',
  dns: 'dnsQuery',
  http: 'httpRequest',
  files: 'fileTransfer',
  ssl: 'tlsHandshake',
  x509: 'certificate',
  smb_files: 'shareAccess',
  smb_mapping: 'smbMapping',
  kerberos: 'kerberosTgt',
  ntlm: 'credentialValidation',
};

/** A field by its flat (`id.orig_h`) or nested (`id: { orig_h }`) name; `-` and empty are absent. */
function field(record: JsonObject, name: string): unknown {
  let value: unknown = record[name];
  if (value === undefined && name.includes('.')) {
    const [head, ...rest] = name.split('.');
    const inner = record[head as string];
    value = isObject(inner) ? inner[rest.join('.')] : undefined;
  }
  return value === '-' || value === '' || value === null ? undefined : value;
}

function str(record: JsonObject, name: string): string | undefined {
  const value = field(record, name);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function strs(record: JsonObject, name: string): string[] {
  const value = field(record, name);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

function port(record: JsonObject, name: string): number | undefined {
  const value = Number(field(record, name));
  return Number.isInteger(value) && value >= 0 && value <= 65535 && field(record, name) !== undefined
    ? value
    : undefined;
}

/** `ts` as epoch seconds (TSV and default JSON) or ISO 8601 (JSON with `LogAscii::json_timestamps`). */
function timeOf(record: JsonObject): number {
  const ts = field(record, 'ts');
  const ms =
    typeof ts === 'number'
      ? ts * 1000
      : typeof ts === 'string'
        ? /^\d+(\.\d+)?$/.test(ts)
          ? Number(ts) * 1000
          : Date.parse(ts)
        : Number.NaN;
  if (!Number.isFinite(ms)) throw badInput('zeek: ts is not a time', { field: 'ts' });
  return Math.round(ms);
}

export function zeekEventDraft(record: JsonObject): EventDraft {
  const path = zeekPath(record);
  const keys = new KeySet();
  const ipKey = (value: string | undefined) => {
    const ip = normalizeIp(value);
    if (ip) keys.add(`ip:${ip}`);
    return ip;
  };
  const domainKey = (value: string | undefined) => {
    const domain = normalizeDomain(value);
    if (domain && domain.includes('.') && !normalizeIp(value)) {
      keys.add(`domain:${domain}`);
      return domain;
    }
    return undefined;
  };
  const draft: Record<string, unknown> = {
    time: timeOf(record),
    format: 'zeek',
    source: `zeek/${path}`,
    code: path,
    kind: KINDS[path] ?? 'other',
  };
  draft.srcIp = ipKey(str(record, 'id.orig_h'));
  draft.srcPort = port(record, 'id.orig_p');
  draft.dstIp = ipKey(str(record, 'id.resp_h'));
  draft.dstPort = port(record, 'id.resp_p');
  let outcome: EventOutcome | undefined;

  switch (path) {
    case 'conn': {
      draft.protocol = str(record, 'proto');
      const state = str(record, 'conn_state');
      if (state)
        outcome = ['REJ', 'S0', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH'].includes(state)
          ? 'failure'
          : 'success';
      break;
    }
    case 'dns': {
      draft.protocol = str(record, 'proto');
      draft.domain = domainKey(str(record, 'query'));
      for (const answer of strs(record, 'answers')) if (!ipKey(answer)) domainKey(answer);
      const rcode = str(record, 'rcode_name');
      if (rcode) outcome = rcode === 'NOERROR' ? 'success' : 'failure';
      break;
    }
    case 'http': {
      draft.protocol = 'http';
      const host = str(record, 'host');
      const uri = str(record, 'uri');
      draft.domain = domainKey(host?.replace(/:\d+$/, ''));
      if (host && uri) {
        const defaultPort = draft.dstPort === 80 || draft.dstPort === undefined;
        const authority = host.includes(':') || defaultPort ? host : `${host}:${String(draft.dstPort)}`;
        const url = normalizeUrl(uri.startsWith('http') ? uri : `http://${authority}${uri}`);
        if (url) draft.url = keys.add(`url:${url}`)?.slice('url:'.length);
      }
      draft.commandLine = str(record, 'user_agent');
      const status = Number(str(record, 'status_code'));
      if (Number.isInteger(status)) outcome = status < 400 ? 'success' : 'failure';
      break;
    }
    case 'files': {
      // Older Zeek: tx_hosts / rx_hosts instead of id.*.
      if (!draft.srcIp) draft.srcIp = ipKey(strs(record, 'tx_hosts')[0]);
      if (!draft.dstIp) draft.dstIp = ipKey(strs(record, 'rx_hosts')[0]);
      draft.targetPath = str(record, 'filename');
      for (const algorithm of ['sha256', 'sha1', 'md5'] as const) {
        const digest = normalizeHash(str(record, algorithm));
        if (digest?.algorithm === algorithm) {
          draft[algorithm] = digest.value;
          keys.add(`file:${algorithm}:${digest.value}`);
        }
      }
      draft.protocol = str(record, 'source')?.toLowerCase();
      break;
    }
    case 'ssl': {
      draft.protocol = 'tls';
      draft.domain = domainKey(str(record, 'server_name'));
      const established = field(record, 'established');
      if (established !== undefined)
        outcome = established === true || established === 'T' ? 'success' : 'failure';
      break;
    }
    case 'x509': {
      const subject = str(record, 'certificate.subject');
      const commonName = subject ? /(?:^|,)CN=([^,]+)/.exec(subject)?.[1] : undefined;
      draft.domain = domainKey(commonName?.replace(/^\*\./, ''));
      for (const name of strs(record, 'san.dns')) domainKey(name.replace(/^\*\./, ''));
      for (const ip of strs(record, 'san.ip')) ipKey(ip);
      draft.targetPath = subject;
      break;
    }
    case 'smb_files': {
      draft.protocol = 'smb';
      const share = str(record, 'path');
      const name = str(record, 'name');
      draft.targetPath = share && name ? `${share}\\${name}` : (name ?? share);
      draft.commandLine = str(record, 'action');
      break;
    }
    case 'smb_mapping':
      draft.protocol = 'smb';
      draft.targetPath = str(record, 'path');
      break;
    case 'kerberos': {
      const type = str(record, 'request_type');
      if (type === 'TGS') draft.kind = 'kerberosService';
      // `client` is `name/REALM`.
      const client = str(record, 'client');
      if (client) {
        const [name, realm] = client.split('/');
        draft.userKey = keys.add(createUser({ name, domain: realm?.split('.')[0] })?.key);
      }
      draft.targetPath = str(record, 'service');
      draft.protocol = 'kerberos';
      const success = field(record, 'success');
      if (success !== undefined) outcome = success === true || success === 'T' ? 'success' : 'failure';
      break;
    }
    case 'ntlm': {
      draft.userKey = keys.add(
        createUser({ name: str(record, 'username'), domain: str(record, 'domainname') })?.key,
      );
      draft.domain = domainKey(str(record, 'server_dns_computer_name'));
      const success = field(record, 'success');
      if (success !== undefined) outcome = success === true || success === 'T' ? 'success' : 'failure';
      break;
    }
    default:
      break;
  }
  if (outcome) draft.outcome = outcome;
  for (const key of Object.keys(draft)) if (draft[key] === undefined) delete draft[key];
  return { ...(draft as unknown as Omit<EventDraft, 'keys'>), keys: keys.toArray() };
}
