/**
 * The contract every input format implements, and the helpers they share for reading loosely-typed JSON.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertDraft } from '../domain/alert.js';
import type { EventDraft } from '../domain/event.js';
import { badInput } from '../domain/errors.js';

/**
 * What a format makes of one record: alerts and/or telemetry events, or nothing with the reason (a record of the
 * format that autoir does not keep).
 */
export type ParseResult =
  | { readonly alerts: readonly AlertDraft[]; readonly events?: readonly EventDraft[] }
  | { readonly skipped: string };

export interface InputFormat {
  /** Short id used by `--format` and in output: `autoir`, `msgraph`, `ocsf`, `elastic`, `wazuh`, `suricata`, `windows`… */
  readonly id: string;
  /** Human name with the shape it reads, for help text and errors. */
  readonly description: string;
  /** A cheap look at a parsed record: does it have this format's tell-tale fields? */
  sniff(record: Readonly<Record<string, unknown>>): boolean;
  /**
   * Parse one record. Malformed input throws `AUTOIR_E_BAD_INPUT` with the offending field; everything else is a
   * return value.
   */
  parse(record: unknown): ParseResult;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Read a dotted path from a document whose keys may themselves contain dots, as Elastic documents mix nested
 * objects (`host.name` under `host`) and flat keys (`kibana.alert.rule.name`).
 */
export function getPath(document: unknown, path: string): unknown {
  return lookup(document, path.split('.'), 0);
}

function lookup(node: unknown, segments: readonly string[], start: number): unknown {
  if (start === segments.length) return node;
  if (!isObject(node)) return undefined;
  // Longest flat key first: `kibana.alert.rule.name` before `kibana` → `alert` → ….
  for (let end = segments.length; end > start; end--) {
    const key = end - start === 1 ? (segments[start] as string) : segments.slice(start, end).join('.');
    if (key in node) {
      const found = lookup(node[key], segments, end);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** A string from a string or number; `undefined` for anything else or blank. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A number from a number or numeric string. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** Always an array: a value becomes `[value]`, nothing becomes `[]`. */
export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function texts(value: unknown): string[] {
  return list(value)
    .map(text)
    .filter((item): item is string => item !== undefined);
}

/**
 * A stable id for records whose source gives none: a hash of the record's content with its keys in a fixed order,
 * so the same alert sent pretty-printed, as NDJSON or inside an envelope gets the same id.
 */
export function contentRef(record: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(record)).digest('hex').slice(0, 32)}`;
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => value[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `evidence[1].fileDetails.sha256` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** Validate with zod; a failure becomes `AUTOIR_E_BAD_INPUT` naming the first bad field. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0];
  const field = first ? formatPath(first.path) : '';
  const message = first ? describeIssue(first) : 'invalid';
  const more =
    issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw badInput(`${what}: ${field === '' ? '' : `${field}: `}${message}${more}`, { field }, issues);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const received = (issue as { input?: unknown }).input;
    return received === undefined
      ? `required ${issue.expected} is missing`
      : `expected ${issue.expected}, got ${describeValue(received)}`;
  }
  return issue.message;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

// Loose zod building blocks for third-party formats: present-or-absent, null allowed, wrong type refused.
export const zs = {
  str: z.string().nullish(),
  num: z.number().nullish(),
  strOrNum: z.union([z.string(), z.number()]).nullish(),
  strs: z.array(z.string().nullable()).nullish(),
};
