/**
 * Zeek's TSV log format: `#separator`, `#set_separator`, `#empty_field`, `#unset_field`, `#path`, `#fields` and
 * `#types` header lines, then one tab-separated record per line. Each record becomes the object Zeek's JSON writer
 * would have written (with `_path`), so both forms are parsed by the same code (formats/zeek.ts).
 */
import type { JsonObject } from '../records/json.js';

export interface ZeekHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path?: string;
  fields?: string[];
  types?: string[];
}

export function newZeekHeader(): ZeekHeader {
  return { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-' };
}

/** Does a document start like a Zeek TSV log? */
export function looksLikeZeekTsv(start: string): boolean {
  return start.startsWith('#separator');
}

/** `\x09` escapes, as Zeek writes them in headers and values. */
function unescape(text: string): string {
  return text.includes('\\x')
    ? text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;
}

/** Apply a header line to the header. Returns false for a line that is not a known header (ignored). */
export function readZeekHeaderLine(header: ZeekHeader, line: string): void {
  const space = line.indexOf(' ');
  if (line.startsWith('#separator')) {
    header.separator = unescape(line.slice(space + 1).trim());
    return;
  }
  const cut = line.indexOf(header.separator);
  const name = cut < 0 ? line : line.slice(0, cut);
  const rest = cut < 0 ? [] : line.slice(cut + header.separator.length).split(header.separator);
  switch (name) {
    case '#set_separator':
      header.setSeparator = unescape(rest[0] ?? ',');
      break;
    case '#empty_field':
      header.emptyField = rest[0] ?? '(empty)';
      break;
    case '#unset_field':
      header.unsetField = rest[0] ?? '-';
      break;
    case '#path':
      header.path = rest[0];
      break;
    case '#fields':
      header.fields = rest;
      break;
    case '#types':
      header.types = rest;
      break;
    default:
      break; // #open, #close and comments
  }
}

/** One data line → the record, or a message saying what is wrong with it. */
export function readZeekLine(header: ZeekHeader, line: string): JsonObject | string {
  const fields = header.fields;
  if (!fields) return 'data before the #fields header line';
  const values = line.split(header.separator);
  if (values.length !== fields.length)
    return `expected ${fields.length} tab-separated fields (#fields), found ${values.length}`;
  const record: JsonObject = {};
  if (header.path) record._path = header.path;
  for (let index = 0; index < fields.length; index++) {
    const raw = values[index] as string;
    if (raw === header.unsetField) continue;
    const type = header.types?.[index] ?? 'string';
    const name = fields[index] as string;
    if (type.startsWith('set[') || type.startsWith('vector[')) {
      record[name] =
        raw === header.emptyField ? [] : raw.split(header.setSeparator).map((item) => unescape(item));
      continue;
    }
    switch (type) {
      case 'time':
      case 'interval':
      case 'double':
      case 'count':
      case 'int':
      case 'port': {
        const number = Number(raw);
        record[name] = Number.isFinite(number) ? number : raw;
        break;
      }
      case 'bool':
        record[name] = raw === 'T';
        break;
      default:
        record[name] = raw === header.emptyField ? '' : unescape(raw);
    }
  }
  return record;
}
