/**
 * Microsoft 365 unified audit log records (Management Activity API, Sentinel's OfficeActivity, Purview search
 * exports): Exchange inbox rules and forwarding (`New-InboxRule`, `Set-InboxRule`, `UpdateInboxRules`,
 * `Set-Mailbox` with forwarding) as `mailboxRule` events, sign-ins (`UserLoggedIn`, `UserLoginFailed`) as logons,
 * anything else as `other` with its user and client address.
 */
import { badInput } from '../../domain/errors.js';
import { EventBuilder } from '../event-builder.js';
import { type InputFormat } from '../format.js';
import { isObject, list, text, type JsonObject } from '../../records/json.js';
import { normalizeEmailAddress } from '../../domain/entity-values.js';

const RULE_OPERATIONS = new Set([
  'new-inboxrule',
  'set-inboxrule',
  'updateinboxrules',
  'set-mailbox',
  'new-transportrule',
]);
/** Rule parameters that send mail elsewhere. */
const FORWARD_PARAMETERS = [
  'forwardto',
  'redirectto',
  'forwardasattachmentto',
  'forwardingsmtpaddress',
  'forwardingaddress',
];

/** `Parameters: [{ Name, Value }]` as a lower-cased name → value map. */
function parametersOf(record: JsonObject): Record<string, string> {
  let raw: unknown = record.Parameters;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      raw = [];
    }
  }
  const out: Record<string, string> = {};
  for (const item of list(raw)) {
    if (!isObject(item)) continue;
    const name = text(item.Name);
    const value = text(item.Value);
    if (name && value !== undefined) out[name.toLowerCase()] = value;
  }
  return out;
}

/** `smtp:a@b.com;"Name" [SMTP:c@d.com]` → addresses. */
function addressesIn(value: string): string[] {
  return value
    .split(/[;,]/)
    .map((part) => part.replace(/^\s*(smtp|SMTP):/, '').replace(/.*\[(?:smtp:)?([^\]]+)\].*/i, '$1'))
    .map((part) => normalizeEmailAddress(part))
    .filter((address): address is string => address !== undefined);
}

function clientIp(record: JsonObject): string | undefined {
  const value = text(record.ClientIP) ?? text(record.ClientIPAddress) ?? text(record.Client_IPAddress);
  if (!value) return undefined;
  // `[2001:db8::1]:443`, `203.0.113.5:51234`, or a bare address.
  const bracketed = /^\[([^\]]+)\]/.exec(value);
  if (bracketed) return bracketed[1];
  return /^\d+\.\d+\.\d+\.\d+:\d+$/.test(value) ? value.slice(0, value.lastIndexOf(':')) : value;
}

export function m365AuditDraft(record: JsonObject) {
  const operation = text(record.Operation) ?? '';
  const timeText = text(record.CreationTime) ?? text(record.TimeGenerated);
  const time = timeText
    ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(timeText) ? timeText : `${timeText}Z`)
    : Number.NaN;
  if (!Number.isFinite(time))
    throw badInput('m365: CreationTime is missing or not a time', { field: 'CreationTime' });
  const event = new EventBuilder({
    time,
    format: 'm365',
    source: `m365/${text(record.Workload) ?? text(record.OfficeWorkload) ?? 'audit'}`,
    code: operation,
    kind: 'other',
  });
  const f = event.fields;
  const userId = text(record.UserId) ?? text(record.UserId_);
  if (userId?.includes('@')) {
    f.userKey = event.user({ upn: userId });
    event.mailbox(userId);
  } else if (userId) f.userKey = event.user({ name: userId });
  f.srcIp = event.ip(clientIp(record));
  const lower = operation.toLowerCase();
  if (RULE_OPERATIONS.has(lower)) {
    event.kind = 'mailboxRule';
    const parameters = parametersOf(record);
    // The mailbox changed: `Identity` (Set-Mailbox, Set-InboxRule) or the acting user's.
    const target =
      normalizeEmailAddress(parameters.identity?.split('\\').pop()) ?? normalizeEmailAddress(userId);
    if (target) f.mailRecipients = [event.mailbox(target) as string];
    const forwardTo = [
      ...new Set(
        FORWARD_PARAMETERS.flatMap((name) => (parameters[name] ? addressesIn(parameters[name]) : [])),
      ),
    ];
    for (const address of forwardTo) event.mailbox(address);
    f.targetPath = parameters.name;
    f.details = {
      operation,
      ...(forwardTo.length ? { forwardTo } : {}),
      ...(parameters.deletemessage === 'True' || parameters.deletemessage === 'true'
        ? { deletes: true }
        : {}),
      ...(parameters.movetofolder ? { moveToFolder: parameters.movetofolder } : {}),
      ...(parameters.subjectcontainswords || parameters.subjectorbodycontainswords
        ? { words: parameters.subjectcontainswords ?? parameters.subjectorbodycontainswords }
        : {}),
      ...(parameters.delivertomailboxandforward ? { keepsCopy: parameters.delivertomailboxandforward } : {}),
    };
  } else if (lower === 'userloggedin') event.kind = 'logon';
  else if (lower === 'userloginfailed') {
    event.kind = 'logonFailed';
    f.outcome = 'failure';
  }
  return event.build();
}

export const m365AuditFormat: InputFormat = {
  id: 'm365',
  description:
    'Microsoft 365 unified audit log records (inbox rules and forwarding, sign-ins; Operation, UserId, Workload)',
  sniff: (record) =>
    typeof record.Operation === 'string' &&
    (typeof record.Workload === 'string' ||
      typeof record.OfficeWorkload === 'string' ||
      'RecordType' in record) &&
    (typeof record.CreationTime === 'string' || typeof record.TimeGenerated === 'string'),
  parse(record) {
    if (!isObject(record)) throw badInput('m365: the record is not an object');
    return { alerts: [], events: [m365AuditDraft(record)] };
  },
};
