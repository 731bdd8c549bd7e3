/**
 * The input formats autoir reads, in the order they are sniffed. Registration is this explicit list.
 */
import type { InputFormat } from '../format.js';
import { autoirFormat } from './autoir.js';
import { ecsEventFormat } from './ecs-events.js';
import { elasticFormat } from './elastic.js';
import { m365AuditFormat } from './m365-audit.js';
import { msgraphFormat } from './msgraph.js';
import { ocsfFormat } from './ocsf.js';
import { suricataFormat } from './suricata.js';
import { cefFormat, syslogFormat } from './syslog.js';
import { wazuhFormat } from './wazuh.js';
import { windowsFormat } from './windows.js';
import { zeekFormat } from './zeek.js';

/** Formats of security alerts. */
export const alertFormats: readonly InputFormat[] = [
  autoirFormat,
  msgraphFormat,
  ocsfFormat,
  elasticFormat,
  wazuhFormat,
  suricataFormat,
  cefFormat,
];

/** Formats of telemetry events. */
export const eventFormats: readonly InputFormat[] = [
  windowsFormat,
  zeekFormat,
  ecsEventFormat,
  m365AuditFormat,
  syslogFormat,
];

export const inputFormats: readonly InputFormat[] = [...alertFormats, ...eventFormats];

export function formatById(id: string): InputFormat | undefined {
  return inputFormats.find((format) => format.id === id);
}

/** The first format whose tell-tale fields the record has. */
export function sniffFormat(record: Readonly<Record<string, unknown>>): InputFormat | undefined {
  return inputFormats.find((format) => format.sniff(record));
}

/** `autoir (autoir canonical alert JSON …), msgraph (…), …` for help and errors. */
export function describeFormats(): string {
  return inputFormats.map((format) => `${format.id} (${format.description})`).join(', ');
}
