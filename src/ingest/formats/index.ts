/**
 * The input formats autoir reads, in the order they are sniffed. Registration is this explicit list.
 */
import type { InputFormat } from '../format.js';
import { autoirFormat } from './autoir.js';
import { elasticFormat } from './elastic.js';
import { msgraphFormat } from './msgraph.js';
import { ocsfFormat } from './ocsf.js';
import { suricataFormat } from './suricata.js';
import { wazuhFormat } from './wazuh.js';

export const alertFormats: readonly InputFormat[] = [
  autoirFormat,
  msgraphFormat,
  ocsfFormat,
  elasticFormat,
  wazuhFormat,
  suricataFormat,
];

export function formatById(id: string): InputFormat | undefined {
  return alertFormats.find((format) => format.id === id);
}

/** The first format whose tell-tale fields the record has. */
export function sniffFormat(record: Readonly<Record<string, unknown>>): InputFormat | undefined {
  return alertFormats.find((format) => format.sniff(record));
}

/** `autoir (autoir canonical alert JSON …), msgraph (…), …` for help and errors. */
export function describeFormats(): string {
  return alertFormats.map((format) => `${format.id} (${format.description})`).join(', ');
}
