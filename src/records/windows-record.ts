/**
 * One Windows event log record, whatever shipped it: the three JSON shapes found in the wild and the EVTX reader
 * all come down to this — provider, channel, event id, computer, time, and the event's data fields by name.
 *
 * - NXLog / OTRF Security-Datasets: flat, the data fields beside the envelope (`EventID`, `Channel`, `Hostname`…),
 *   or only inside `Message` as `Key: Value` (Sysmon) or `Key=Value` (classic PowerShell) lines.
 * - Winlogbeat / Elastic Agent (ECS): `winlog.event_id`, `winlog.channel`, `winlog.event_data.*`.
 * - `evtx_dump` JSON (XML as JSON): `Event.System`, `Event.EventData` or `Event.UserData`.
 */
import { getPath, isObject, type JsonObject } from './json.js';

export interface WindowsRecord {
  readonly provider?: string;
  readonly channel?: string;
  readonly eventId: number;
  readonly computer?: string;
  /** Epoch milliseconds, from the record's creation time. */
  readonly time?: number;
  readonly recordId?: number;
  /** The SID the event was logged under (System/Security/@UserID). */
  readonly userSid?: string;
  /** EventData / UserData fields by name, as strings. */
  readonly data: Readonly<Record<string, string>>;
  /** The rendered message, where the shipper kept one. */
  readonly message?: string;
}

/** Which of the shapes a JSON record is, if any. */
export function windowsShape(record: JsonObject): 'evtx' | 'winlogbeat' | 'flat' | undefined {
  const event = record.Event;
  if (isObject(event) && isObject(event.System)) return 'evtx';
  const winlog = record.winlog;
  if (isObject(winlog) && ('event_id' in winlog || 'channel' in winlog)) return 'winlogbeat';
  if ('EventID' in record && ('Channel' in record || 'SourceName' in record || 'ProviderName' in record))
    return 'flat';
  return undefined;
}

/** The record, or a reason it is not one (missing event id). */
export function readWindowsRecord(record: JsonObject): WindowsRecord | string {
  switch (windowsShape(record)) {
    case 'evtx':
      return fromEvtxJson(record.Event as JsonObject);
    case 'winlogbeat':
      return fromWinlogbeat(record);
    case 'flat':
      return fromFlat(record);
    default:
      return 'not a Windows event record';
  }
}

// --- NXLog / flat ---------------------------------------------------------------------------------------------

/** Envelope fields of flat shippers (NXLog, OTRF): everything else is the event's data. */
const FLAT_ENVELOPE = new Set([
  'SourceName',
  'ProviderName',
  'ProviderGuid',
  'Level',
  'Keywords',
  'Channel',
  'Hostname',
  'Computer',
  'TimeCreated',
  'EventTime',
  'EventReceivedTime',
  '@timestamp',
  '@version',
  'EventID',
  'Message',
  'Task',
  'Opcode',
  'Version',
  'RecordNumber',
  'EventRecordID',
  'Severity',
  'SeverityValue',
  'SourceModuleName',
  'SourceModuleType',
  'ExecutionProcessID',
  'ExecutionThreadID',
  'ThreadID',
  'OpcodeValue',
  'Category',
  'UserID',
]);

function fromFlat(record: JsonObject): WindowsRecord | string {
  const eventId = integer(record.EventID);
  if (eventId === undefined) return 'EventID is not a number';
  const data: Record<string, string> = {};
  let fields = 0;
  for (const key in record) {
    if (FLAT_ENVELOPE.has(key)) continue;
    const value = scalar(record[key]);
    if (value !== undefined) {
      data[key] = value;
      fields++;
    }
  }
  const message = typeof record.Message === 'string' ? record.Message : undefined;
  if (fields === 0 && message) Object.assign(data, fieldsFromMessage(message));
  return {
    provider: str(record.SourceName) ?? str(record.ProviderName),
    channel: str(record.Channel),
    eventId,
    computer: str(record.Hostname) ?? str(record.Computer),
    time: time(record.TimeCreated) ?? time(record['@timestamp']) ?? time(record.EventTime),
    recordId: integer(record.RecordNumber) ?? integer(record.EventRecordID),
    userSid: str(record.UserID),
    data,
    message,
  };
}

/**
 * Data fields from a rendered message: `Key: Value` lines (Sysmon, Security) and `Key=Value` lines (classic
 * PowerShell's context), keys without spaces. The first line (the event's title) and continuation lines are not
 * fields. A key seen twice keeps its first value.
 */
export function fieldsFromMessage(message: string): Record<string, string> {
  const data: Record<string, string> = {};
  for (const line of message.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z][A-Za-z0-9 _.-]{0,63}?)\s*(?::|=|\s=)\s?(.*)$/.exec(line);
    if (!match) continue;
    const key = (match[1] as string).replace(/[ .-]/g, '');
    const value = (match[2] as string).trim();
    if (key === '' || value === '' || key in data) continue;
    data[key] = value;
  }
  return data;
}

// --- Winlogbeat / ECS ----------------------------------------------------------------------------------------

function fromWinlogbeat(record: JsonObject): WindowsRecord | string {
  const winlog = record.winlog as JsonObject;
  const eventId = integer(winlog.event_id) ?? integer(getPath(record, 'event.code'));
  if (eventId === undefined) return 'winlog.event_id is not a number';
  const data: Record<string, string> = {};
  for (const source of [winlog.event_data, winlog.user_data]) {
    if (!isObject(source)) continue;
    for (const key in source) {
      const value = scalar(source[key]);
      if (value !== undefined) data[key] = value;
    }
  }
  const message = str(record.message);
  if (Object.keys(data).length === 0 && message) Object.assign(data, fieldsFromMessage(message));
  const user = isObject(winlog.user) ? str(winlog.user.identifier) : undefined;
  return {
    provider: str(winlog.provider_name),
    channel: str(winlog.channel),
    eventId,
    computer:
      str(winlog.computer_name) ?? str(getPath(record, 'host.hostname')) ?? str(getPath(record, 'host.name')),
    time: time(record['@timestamp']) ?? time(winlog.time_created),
    recordId: integer(winlog.record_id),
    userSid: user,
    data,
    message,
  };
}

// --- evtx_dump JSON ------------------------------------------------------------------------------------------

function attribute(node: unknown, name: string): unknown {
  if (!isObject(node)) return undefined;
  const attributes = node['#attributes'];
  return isObject(attributes) ? attributes[name] : undefined;
}

/** A node's text: the value itself, or its `#text`. */
function nodeText(node: unknown): string | undefined {
  if (isObject(node)) return scalar(node['#text']);
  return scalar(node);
}

function fromEvtxJson(event: JsonObject): WindowsRecord | string {
  const system = event.System as JsonObject;
  const eventId = integer(nodeText(system.EventID));
  if (eventId === undefined) return 'Event.System.EventID is not a number';
  const data: Record<string, string> = {};
  collectEventData(event.EventData, data);
  if (isObject(event.UserData)) {
    // UserData holds one element of the provider's own schema; its children are the fields.
    for (const key in event.UserData) {
      const inner = event.UserData[key];
      if (key === '#attributes' || !isObject(inner)) continue;
      for (const name in inner) {
        if (name === '#attributes') continue;
        const value = nodeText(inner[name]);
        if (value !== undefined) data[name] = value;
      }
    }
  }
  return {
    provider: str(attribute(system.Provider, 'Name')),
    channel: nodeText(system.Channel),
    eventId,
    computer: nodeText(system.Computer),
    time: time(attribute(system.TimeCreated, 'SystemTime')),
    recordId: integer(nodeText(system.EventRecordID)),
    userSid: str(attribute(system.Security, 'UserID')),
    data,
  };
}

/** EventData flat (`{ Image: … }`), or as `Data` elements with a `Name` attribute, or unnamed `Data` values. */
function collectEventData(eventData: unknown, data: Record<string, string>): void {
  if (!isObject(eventData)) return;
  for (const key in eventData) {
    if (key === '#attributes') continue;
    const value = eventData[key];
    if (key === 'Data' && (Array.isArray(value) || isObject(value))) {
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, index) => {
        const name = str(attribute(item, 'Name'));
        const text = nodeText(item);
        if (text !== undefined) data[name ?? `param${index + 1}`] = text;
      });
      continue;
    }
    const text = nodeText(value);
    if (text !== undefined) data[key] = text;
  }
}

// --- values ------------------------------------------------------------------------------------------------

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Strings as they are; numbers and booleans as text; anything else (objects, null) is not a field value. */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function integer(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

/** Epoch ms of a timestamp; one without an offset is UTC. */
function time(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value !== 'string' || value === '') return undefined;
  let text = value.trim().replace(' ', 'T');
  text = text.replace(/(\.\d{3})\d+/, '$1');
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(text)) text += 'Z';
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

export { time as windowsTime };
