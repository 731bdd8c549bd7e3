/**
 * Elastic Common Schema events from Elastic Agent and Beats (Endpoint, Auditbeat, Packetbeat, Filebeat modules):
 * `event.category` / `event.type` say what happened; `host`, `user`, `process` (+ `parent`), `file`, `dll`,
 * `registry`, `source` / `destination`, `dns`, `url`, `email` say to what. Winlogbeat documents (`winlog.*`) are read
 * by the Windows format; Elastic Security alerts (`kibana.alert.*`) by the elastic format.
 * https://www.elastic.co/guide/en/ecs/current/ecs-allowed-values-event-category.html
 */
import { geoPoint, type EventKind } from '../../domain/event.js';
import { badInput } from '../../domain/errors.js';
import { EventBuilder } from '../event-builder.js';
import { type InputFormat } from '../format.js';
import { getPath, isObject, list, num, text, texts, type JsonObject } from '../../records/json.js';

export const ecsEventFormat: InputFormat = {
  id: 'ecs',
  description:
    'Elastic Common Schema events from Elastic Agent / Beats (event.category, host, process, network…)',
  sniff: (record) =>
    '@timestamp' in record &&
    (getPath(record, 'ecs.version') !== undefined ||
      getPath(record, 'event.category') !== undefined ||
      getPath(record, 'event.kind') !== undefined),
  parse(record) {
    if (!isObject(record)) throw badInput('ecs: expected a JSON object');
    return { alerts: [], events: [ecsEventDraft(record)] };
  },
};

/** Windows paths some pipelines leave with doubled backslashes (`C:\\\\Program Files`). */
function field(doc: JsonObject, path: string): string | undefined {
  const value = text(getPath(doc, path));
  return value && /^[a-z]:\\\\/i.test(value) ? value.replace(/\\\\/g, '\\') : value;
}

export function ecsEventDraft(doc: JsonObject) {
  const get = (path: string) => field(doc, path);
  const time = Date.parse(get('@timestamp') ?? '');
  if (!Number.isFinite(time))
    throw badInput('ecs: @timestamp is missing or not a time', { field: '@timestamp' });
  const categories = texts(getPath(doc, 'event.category')).map((item) => item.toLowerCase());
  const types = texts(getPath(doc, 'event.type')).map((item) => item.toLowerCase());
  const has = (category: string) => categories.includes(category);
  const is = (type: string) => types.includes(type);

  const event = new EventBuilder({
    time,
    format: 'ecs',
    source: get('event.dataset') ?? get('event.module') ?? get('agent.type') ?? 'ecs',
    code: get('event.code') ?? get('event.action') ?? categories[0] ?? 'event',
    kind: 'other',
  });
  const f = event.fields;
  event.device(get('host.hostname') ?? get('host.name'), get('host.domain'));
  const outcome = get('event.outcome');
  event.outcome(outcome === 'success' ? 'success' : outcome === 'failure' ? 'failure' : undefined);
  const sid = get('user.id');
  f.userKey = event.user({
    name: get('user.name'),
    domain: get('user.domain'),
    sid: sid && /^s-1-/i.test(sid) ? sid : undefined,
    upn: get('user.email'),
  });
  f.processKey = event.process({ guid: get('process.entity_id'), pid: get('process.pid') });
  f.parentProcessKey = event.process({
    guid: get('process.parent.entity_id'),
    pid: get('process.parent.pid'),
  });
  f.imagePath = get('process.executable');
  f.commandLine = get('process.command_line') ?? get('process.args')?.toString();
  f.srcIp = event.ip(get('source.ip'));
  f.srcPort = event.port(getPath(doc, 'source.port'));
  f.dstIp = event.ip(get('destination.ip'));
  f.dstPort = event.port(getPath(doc, 'destination.port'));
  f.protocol = (get('network.protocol') ?? get('network.transport'))?.toLowerCase();
  f.domain = event.domain(get('destination.domain'));

  let kind: EventKind = 'other';
  if (has('process')) {
    kind = is('start') ? 'processStart' : is('end') ? 'processEnd' : 'other';
    event.hashes({
      sha256: get('process.hash.sha256'),
      sha1: get('process.hash.sha1'),
      md5: get('process.hash.md5'),
    });
  } else if (has('library') || has('driver')) {
    kind = has('driver') ? 'driverLoad' : 'imageLoad';
    f.targetPath = get('dll.path') ?? get('file.path');
    event.hashes({ sha256: get('dll.hash.sha256'), sha1: get('dll.hash.sha1'), md5: get('dll.hash.md5') });
  } else if (has('file')) {
    kind = is('creation')
      ? 'fileCreate'
      : is('deletion')
        ? 'fileDelete'
        : is('change')
          ? 'fileModify'
          : 'other';
    f.targetPath = get('file.path');
    event.hashes({ sha256: get('file.hash.sha256'), sha1: get('file.hash.sha1'), md5: get('file.hash.md5') });
  } else if (has('registry')) {
    kind = is('deletion') ? 'registryDelete' : is('creation') ? 'registryCreate' : 'registrySet';
    f.registryPath = get('registry.path');
    f.registryValue = texts(getPath(doc, 'registry.data.strings'))[0];
  } else if (has('authentication')) {
    kind = outcome === 'failure' ? 'logonFailed' : 'logon';
    // ECS `source.geo.location` is `{ lat, lon }` (or a GeoJSON point).
    const location = getPath(doc, 'source.geo.location');
    const point = isObject(location) ? location : {};
    const coordinates = Array.isArray(point.coordinates) ? point.coordinates : [];
    const geo = geoPoint({
      lat: num(point.lat) ?? num(coordinates[1]),
      lon: num(point.lon) ?? num(coordinates[0]),
      city: get('source.geo.city_name'),
      country: get('source.geo.country_iso_code') ?? get('source.geo.country_name'),
    });
    if (geo) f.details = { ...f.details, geo };
  } else if (getPath(doc, 'dns.question.name') !== undefined) {
    kind = 'dnsQuery';
    f.domain = event.domain(get('dns.question.name'));
    for (const ip of texts(getPath(doc, 'dns.resolved_ip'))) event.ip(ip);
  } else if (
    has('web') ||
    getPath(doc, 'url.full') !== undefined ||
    getPath(doc, 'http.request.method') !== undefined
  ) {
    kind = 'httpRequest';
    f.url = event.url(get('url.full') ?? get('url.original'));
    f.domain = event.domain(get('url.domain')) ?? f.domain;
    f.commandLine = get('user_agent.original');
  } else if (has('email') || getPath(doc, 'email.subject') !== undefined) {
    kind = 'emailDelivered';
    f.mailSender = event.mailbox(texts(getPath(doc, 'email.from.address'))[0]);
    const recipients = texts(getPath(doc, 'email.to.address'))
      .map((address) => event.mailbox(address))
      .filter((address): address is string => address !== undefined);
    if (recipients.length > 0) f.mailRecipients = recipients;
    f.mailSubject = get('email.subject');
    const messageId = get('email.message_id');
    if (messageId) {
      f.mailMessageId = messageId.replace(/^<|>$/g, '').toLowerCase();
      event.keys.add(`mailMessage:${f.mailMessageId}`);
    }
  } else if (has('network')) {
    kind = 'networkConnection';
  }
  event.kind = kind;
  for (const url of list(getPath(doc, 'url.full'))) event.url(text(url));
  return event.build();
}
