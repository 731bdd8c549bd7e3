/**
 * Allow-lists in the MISP warninglist format (<https://github.com/MISP/misp-warninglists>): values that are common
 * infrastructure, never evidence that two alerts tell one story. Each list is
 * `{ name, type: string | substring | hostname | cidr | regex, list: [...] }`; a value matches when it equals an
 * entry (`string`), contains one (`substring`), is the host or a subdomain of one (`hostname`), lies in a network
 * (`cidr`) or matches a pattern (`regex`). autoir ships one list of its own (config/warninglists) and reads more
 * from configuration.
 */
import { readFileSync } from 'node:fs';
import type { Entity } from '../domain/entity.js';
import { AutoirError } from '../domain/errors.js';
import { inCidr, parseCidr, type Cidr } from '../domain/net.js';

export interface Allowlist {
  /** The name of the first list an entity's value is on, or `undefined`. */
  match(entity: Entity): string | undefined;
  readonly names: readonly string[];
}

type Matcher = (value: string) => boolean;

interface Warninglist {
  readonly name: string;
  readonly matches: Matcher;
}

const TYPES = ['string', 'substring', 'hostname', 'cidr', 'regex'] as const;

/** Parse one warninglist document. Throws a user error naming the file and field. */
export function parseWarninglist(value: unknown, file: string): Warninglist {
  const fail = (field: string, message: string) =>
    new AutoirError('AUTOIR_E_BAD_INPUT', `${file}: ${field}: ${message}`, { location: { file, field } });
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw fail('', 'not a JSON object');
  const record = value as Record<string, unknown>;
  const name = typeof record.name === 'string' && record.name.trim() !== '' ? record.name : undefined;
  if (!name) throw fail('name', 'required string is missing');
  const type = record.type ?? 'string';
  if (!(TYPES as readonly unknown[]).includes(type))
    throw fail('type', `expected one of ${TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  if (!Array.isArray(record.list)) throw fail('list', 'required array is missing');
  const entries = record.list
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim());
  switch (type) {
    case 'string': {
      const set = new Set(entries.map((entry) => entry.toLowerCase()));
      return { name, matches: (candidate) => set.has(candidate) };
    }
    case 'substring': {
      const lowered = entries.map((entry) => entry.toLowerCase()).filter((entry) => entry !== '');
      return { name, matches: (candidate) => lowered.some((entry) => candidate.includes(entry)) };
    }
    case 'hostname': {
      const set = new Set(
        entries.map((entry) =>
          entry
            .toLowerCase()
            .replace(/^\*?\./, '')
            .replace(/\.$/, ''),
        ),
      );
      return {
        name,
        matches: (candidate) => {
          // The host itself, then each parent domain: `a.b.example.com`, `b.example.com`, `example.com`, `com`.
          let host = candidate.replace(/\.$/, '');
          for (;;) {
            if (set.has(host)) return true;
            const dot = host.indexOf('.');
            if (dot < 0) return false;
            host = host.slice(dot + 1);
          }
        },
      };
    }
    case 'cidr': {
      const networks = entries.map((entry, index) => {
        const cidr = parseCidr(entry);
        if (!cidr) throw fail(`list[${index}]`, `not a CIDR network: ${entry}`);
        return cidr;
      }) as Cidr[];
      return { name, matches: (candidate) => networks.some((cidr) => inCidr(candidate, cidr)) };
    }
    default: {
      const patterns = entries.map((entry, index) => {
        try {
          return new RegExp(entry.replace(/^\/(.*)\/([a-z]*)$/s, '$1'), 'i');
        } catch (error) {
          throw fail(`list[${index}]`, `not a valid regular expression: ${(error as Error).message}`);
        }
      });
      return { name, matches: (candidate) => patterns.some((pattern) => pattern.test(candidate)) };
    }
  }
}

/** The values of an entity a warninglist is matched against. */
function valuesOf(entity: Entity): string[] {
  switch (entity.type) {
    case 'ip':
      return [entity.address];
    case 'domain':
      return [entity.name];
    case 'url': {
      const host = (() => {
        try {
          return new URL(entity.url).hostname;
        } catch {
          return undefined;
        }
      })();
      return [entity.url.toLowerCase(), ...(host ? [host] : [])];
    }
    case 'mailbox':
      return [entity.address, entity.address.slice(entity.address.indexOf('@') + 1)];
    case 'file':
      return [entity.sha256, entity.sha1, entity.md5].filter((value): value is string => value !== undefined);
    case 'device':
      return [entity.fqdn ?? entity.hostname];
    default:
      return [];
  }
}

export function createAllowlist(lists: readonly Warninglist[]): Allowlist {
  return {
    names: lists.map((list) => list.name),
    match(entity) {
      const values = valuesOf(entity).map((value) => value.toLowerCase());
      for (const list of lists) if (values.some((value) => list.matches(value))) return list.name;
      return undefined;
    },
  };
}

export function loadWarninglists(files: readonly string[]): Allowlist {
  return createAllowlist(
    files.map((file) => {
      let value: unknown;
      try {
        value = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new AutoirError(
          'AUTOIR_E_BAD_INPUT',
          `${file}: not readable JSON: ${(error as Error).message}`,
          {
            location: { file },
          },
        );
      }
      return parseWarninglist(value, file);
    }),
  );
}
