/**
 * OCSF activity events into telemetry events: Process Activity 1007, File System Activity 1001, Network Activity
 * 4001, HTTP Activity 4002, DNS Activity 4003, Authentication 3002, Email Activity 4009. Other OCSF classes are
 * kept as `other` events with whatever device, actor and endpoints they name.
 * Schema: OCSF 1.x (the schema's events/system, events/network and events/iam classes).
 */
import { geoPoint, type EventKind } from '../../domain/event.js';
import { badInput } from '../../domain/errors.js';
import { EventBuilder } from '../event-builder.js';
import { isObject, list, num, text, type JsonObject } from '../../records/json.js';

export const OCSF_EVENT_CLASSES: Readonly<Record<number, string>> = {
  1001: 'file_activity',
  1007: 'process_activity',
  3002: 'authentication',
  4001: 'network_activity',
  4002: 'http_activity',
  4003: 'dns_activity',
  4009: 'email_activity',
};

function obj(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

/** OCSF hashes: `[{ algorithm_id: 1 MD5 | 2 SHA-1 | 3 SHA-256, value }]`. */
function hashesOf(file: JsonObject): { sha256?: string; sha1?: string; md5?: string } {
  const out: { sha256?: string; sha1?: string; md5?: string } = {};
  for (const item of list(file.hashes)) {
    const hash = obj(item);
    const value = text(hash.value);
    const algorithm =
      num(hash.algorithm_id) ??
      { md5: 1, 'sha-1': 2, sha1: 2, 'sha-256': 3, sha256: 3 }[String(hash.algorithm).toLowerCase()];
    if (algorithm === 1) out.md5 ??= value;
    else if (algorithm === 2) out.sha1 ??= value;
    else if (algorithm === 3) out.sha256 ??= value;
  }
  return out;
}

function timeOf(record: JsonObject): number {
  const value = record.time;
  const ms =
    typeof value === 'number'
      ? value < 1e11
        ? value * 1000
        : value
      : typeof value === 'string'
        ? Date.parse(value)
        : Number.NaN;
  if (!Number.isFinite(ms)) throw badInput('ocsf: time is missing or not a time', { field: 'time' });
  return ms;
}

export function ocsfEventDraft(record: JsonObject) {
  const classUid = num(record.class_uid) as number;
  const activity = num(record.activity_id) ?? 0;
  const event = new EventBuilder({
    time: timeOf(record),
    format: 'ocsf',
    source: `ocsf/${classUid}`,
    code: String(classUid),
    kind: 'other',
  });
  const device = obj(record.device);
  event.device(text(device.hostname) ?? text(device.name), text(device.domain));
  const status = num(record.status_id);
  event.outcome(status === 1 ? 'success' : status === 2 ? 'failure' : undefined);

  const f = event.fields;
  const userOf = (value: unknown) => {
    const user = obj(value);
    return event.user({
      name: text(user.name),
      domain: text(user.domain),
      sid: text(user.uid),
      upn: text(user.email_addr),
    });
  };
  const processOf = (value: unknown) => {
    const process = obj(value);
    return event.process({ guid: text(process.uid), pid: text(process.pid) });
  };
  const actor = obj(record.actor);
  const actorProcess = obj(actor.process);
  f.userKey = userOf(actor.user) ?? userOf(actorProcess.user);
  const src = obj(record.src_endpoint);
  const dst = obj(record.dst_endpoint);
  const endpoints = () => {
    f.srcIp = event.ip(text(src.ip));
    f.srcPort = event.port(src.port);
    f.dstIp = event.ip(text(dst.ip));
    f.dstPort = event.port(dst.port);
    f.protocol = text(obj(record.connection_info).protocol_name)?.toLowerCase();
  };
  const actorAsProcess = () => {
    f.processKey = processOf(actorProcess);
    f.imagePath = text(obj(actorProcess.file).path);
    f.commandLine = text(actorProcess.cmd_line);
    f.parentProcessKey = processOf(actorProcess.parent_process);
  };

  switch (classUid) {
    case 1007: {
      const process = obj(record.process);
      const kinds: Record<number, EventKind> = {
        1: 'processStart',
        2: 'processEnd',
        3: 'processAccess',
        4: 'remoteThread',
      };
      event.kind = kinds[activity] ?? 'other';
      if (activity === 1 || activity === 2) {
        // The process is the one started or ended; the actor (if any) is its parent.
        f.processKey = processOf(process);
        f.imagePath = text(obj(process.file).path);
        f.commandLine = text(process.cmd_line);
        f.parentProcessKey = processOf(process.parent_process) ?? processOf(actorProcess);
        f.userKey = userOf(process.user) ?? f.userKey;
        event.hashes(hashesOf(obj(process.file)));
      } else {
        actorAsProcess();
        f.targetProcessKey = processOf(process);
        f.targetPath = text(obj(process.file).path);
        f.targetUserKey = userOf(process.user);
      }
      break;
    }
    case 1001: {
      const file = obj(record.file);
      const kinds: Record<number, EventKind> = {
        1: 'fileCreate',
        3: 'fileModify',
        4: 'fileDelete',
        5: 'fileModify',
        6: 'fileModify',
      };
      event.kind = kinds[activity] ?? 'other';
      actorAsProcess();
      f.targetPath = text(file.path) ?? text(file.name);
      event.hashes(hashesOf(file));
      break;
    }
    case 4001:
      event.kind = 'networkConnection';
      actorAsProcess();
      endpoints();
      f.domain = event.domain(text(dst.hostname) ?? text(dst.domain));
      if (activity === 4 || activity === 5) f.outcome = 'failure';
      break;
    case 4002: {
      event.kind = 'httpRequest';
      actorAsProcess();
      endpoints();
      const request = obj(record.http_request);
      const url = obj(request.url);
      f.url = event.url(
        text(url.url_string) ??
          (text(url.hostname)
            ? `${text(url.scheme) ?? 'http'}://${text(url.hostname)}${text(url.path) ?? '/'}`
            : undefined),
      );
      f.domain = event.domain(text(url.hostname) ?? text(dst.hostname));
      f.commandLine = text(request.user_agent);
      const code = num(obj(record.http_response).code);
      if (code !== undefined) f.outcome = code < 400 ? 'success' : 'failure';
      break;
    }
    case 4003: {
      event.kind = 'dnsQuery';
      actorAsProcess();
      endpoints();
      f.domain = event.domain(text(obj(record.query).hostname));
      for (const answer of list(record.answers)) {
        const data = text(obj(answer).rdata);
        if (!event.ip(data)) event.domain(data);
      }
      const rcode = num(record.rcode_id);
      if (rcode !== undefined) f.outcome = rcode === 0 ? 'success' : 'failure';
      break;
    }
    case 3002: {
      const kinds: Record<number, EventKind> = {
        1: 'logon',
        2: 'logoff',
        3: 'kerberosTgt',
        4: 'kerberosService',
        5: 'kerberosService',
        6: 'kerberosTgt',
      };
      event.kind = kinds[activity] ?? 'other';
      if (event.kind === 'logon' && status === 2) event.kind = 'logonFailed';
      f.userKey = userOf(record.user) ?? f.userKey;
      endpoints();
      // The host logged on to, where the event was not recorded on it.
      if (!f.deviceKey) event.device(text(dst.hostname));
      f.targetPath = text(obj(record.service).name);
      {
        // OCSF location: `coordinates` is GeoJSON [longitude, latitude]; older versions carry `lat`/`long`.
        const location = obj(obj(record.src_endpoint).location);
        const coordinates = list(location.coordinates).map((value) => num(value));
        const geo = geoPoint({
          lat: coordinates[1] ?? num(location.lat),
          lon: coordinates[0] ?? num(location.long),
          city: text(location.city),
          country: text(location.country),
        });
        if (geo) f.details = { ...f.details, geo };
      }
      break;
    }
    case 4009: {
      const email = obj(record.email);
      event.kind = activity === 2 || activity === 0 ? 'emailDelivered' : 'other';
      endpoints();
      f.mailSender = event.mailbox(text(email.from));
      const recipients = [...list(email.to), ...list(email.cc)]
        .map((address) => event.mailbox(text(address)))
        .filter((address): address is string => address !== undefined);
      if (recipients.length > 0) f.mailRecipients = recipients;
      const messageId = text(email.message_uid);
      if (messageId) {
        f.mailMessageId = messageId.replace(/^<|>$/g, '').toLowerCase();
        event.keys.add(`mailMessage:${f.mailMessageId}`);
      }
      f.mailSubject = text(email.subject);
      for (const ip of list(email.x_originating_ip)) f.srcIp ??= event.ip(text(ip));
      for (const url of list(email.urls)) f.url ??= event.url(text(obj(url).url_string));
      for (const file of list(email.files)) {
        event.hashes(hashesOf(obj(file)));
        f.targetPath ??= text(obj(file).name);
      }
      const auth = obj(record.email_auth);
      const spf = text(auth.spf);
      if (spf) f.outcome = spf.toLowerCase() === 'pass' ? 'success' : 'failure';
      f.details = {
        ...(spf ? { spf: spf.toLowerCase() } : {}),
        ...(text(auth.dkim) ? { dkim: text(auth.dkim)?.toLowerCase() } : {}),
        ...(text(auth.dmarc) ? { dmarc: text(auth.dmarc)?.toLowerCase() } : {}),
      };
      break;
    }
    default:
      actorAsProcess();
      endpoints();
  }
  return event.build();
}
