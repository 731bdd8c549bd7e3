/**
 * The contract every input format implements, and the helpers they share for reading loosely-typed JSON.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertDraft } from '../domain/alert.js';
import type { EventDraft } from '../domain/event.js';
import { badInput } from '../domain/errors.js';
import { isObject } from '../records/json.js';

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
