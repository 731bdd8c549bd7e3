/**
 * Threat-intel import: a STIX 2.1 bundle or a MISP event, as JSON text, to indicator drafts.
 *
 * Pure: text in, drafts out; nothing is stored here. Nothing is dropped silently either: every indicator, attribute
 * or comparison that cannot become a draft is listed in `skipped` with the reason, for the caller to show.
 *
 * @example
 *   const { drafts, skipped } = parseIntelDocument(readFileSync(file, 'utf8'), file);
 */
import type { Severity } from '../domain/alert.js';
import { AutoirError, formatLocation } from '../domain/errors.js';
import type { ErrorCode, InputLocation } from '../domain/errors.js';
import type { IndicatorDraft } from '../domain/indicator.js';
import { parseJsonRecord } from '../records/json-records.js';
import {
  type HashAlgorithm,
  normalizeDomain,
  normalizeEmailAddress,
  normalizeHash,
  normalizeIp,
  normalizeUrl,
  refang,
} from '../domain/entity-values.js';

/** An indicator, attribute or comparison left out: `ref` is the STIX id or MISP attribute uuid. */
export interface SkippedIntel {
  readonly ref: string;
  readonly reason: string;
}

export interface IntelImport {
  readonly format: 'stix' | 'misp';
  readonly drafts: IndicatorDraft[];
  readonly skipped: SkippedIntel[];
}

/**
 * Parse a STIX 2.1 bundle (or one bare indicator) or a MISP event (`{ Event }`, a bare event, or the REST API's
 * `{ response: [{ Event }] }`). Throws `AUTOIR_E_BAD_INPUT` for malformed JSON or structure and
 * `AUTOIR_E_UNKNOWN_FORMAT` for JSON that is neither, naming `file`.
 */
export function parseIntelDocument(text: string, file?: string): IntelImport {
  const fail = (code: ErrorCode, message: string, location: InputLocation): AutoirError => {
    // The file leads the message too: the API shows only the message (and field).
    const where = formatLocation(location);
    return new AutoirError(code, where ? `${where}: ${message}` : message, { location });
  };
  const json = parseJsonRecord({ kind: 'record', line: 1, text });
  if (!json.ok) throw fail('AUTOIR_E_BAD_INPUT', json.message, { file, line: json.line });
  const doc = json.value;
  const list = (value: unknown, field: string): unknown[] => {
    if (value === undefined || Array.isArray(value)) return value ?? [];
    throw fail('AUTOIR_E_BAD_INPUT', 'expected an array', { file, field });
  };

  if (isObject(doc) && (doc.type === 'bundle' || doc.type === 'indicator')) {
    const out: IntelImport = { format: 'stix', drafts: [], skipped: [] };
    const objects = doc.type === 'bundle' ? list(doc.objects, 'objects') : [doc];
    objects.forEach((object, index) => {
      // Other objects (identities, malware, relationships, observables) are context, not indicators.
      if (isObject(object) && object.type === 'indicator')
        importStixIndicator(object, `objects[${index}]`, out);
    });
    return out;
  }

  const events = mispEvents(doc);
  if (!events) {
    const shape = isObject(doc) ? `keys ${Object.keys(doc).slice(0, 8).join(', ')}` : JSON.stringify(doc);
    const message = `neither a STIX 2.1 bundle or indicator nor a MISP event (got ${shape.slice(0, 80)})`;
    throw fail('AUTOIR_E_UNKNOWN_FORMAT', message, { file });
  }
  const out: IntelImport = { format: 'misp', drafts: [], skipped: [] };
  for (const { event, field } of events) {
    const at = (name: string) => (field ? `${field}.${name}` : name);
    // Attributes grouped in objects (a `file` object's hashes…) count the same; a deleted object deletes its own.
    const groups = [{ attributes: event.Attribute, where: at('Attribute'), deleted: false }];
    list(event.Object, at('Object')).forEach((object, o) => {
      if (!isObject(object)) return;
      groups.push({
        attributes: object.Attribute,
        where: at(`Object[${o}].Attribute`),
        deleted: isTrue(object.deleted),
      });
    });
    for (const { attributes, where, deleted } of groups)
      list(attributes, where).forEach((attribute, index) => {
        if (isObject(attribute)) importMispAttribute(event, attribute, `${where}[${index}]`, deleted, out);
      });
  }
  return out;
}

/** The events of a MISP document with their field paths, or `undefined` when it is not one. */
function mispEvents(doc: unknown): { event: Record<string, unknown>; field: string }[] | undefined {
  if (!isObject(doc)) return undefined;
  if (isObject(doc.Event)) return [{ event: doc.Event, field: 'Event' }];
  if (typeof doc.info === 'string' && Array.isArray(doc.Attribute)) return [{ event: doc, field: '' }];
  const response: unknown = doc.response;
  if (!Array.isArray(response)) return undefined;
  const events = response.map((item: unknown) => (isObject(item) ? item.Event : undefined));
  if (!events.every(isObject)) return undefined;
  return events.map((event, index) => ({ event, field: `response[${index}].Event` }));
}

// ---------------------------------------------------------------------------------------------------------------
// Values to entity keys
// ---------------------------------------------------------------------------------------------------------------

type ValueKind = HashAlgorithm | 'ip' | 'domain' | 'url' | 'mailbox';

/** The entity key for a value of a kind (refanged by the normalisers), or why it cannot be one. */
function keyFor(kind: ValueKind, raw: string): { key: string } | { reason: string } {
  const shown = JSON.stringify(raw);
  switch (kind) {
    case 'sha256':
    case 'sha1':
    case 'md5': {
      const hash = normalizeHash(raw);
      return hash?.algorithm === kind
        ? { key: `file:${kind}:${hash.value}` }
        : { reason: `${shown} is not a ${kind.toUpperCase()} digest` };
    }
    case 'ip': {
      const [address = '', prefix] = refang(raw.trim()).split('/');
      const ip = normalizeIp(address);
      if (!ip) return { reason: `${shown} is not an IP address` };
      // Indicators here name single hosts: a network is not an entity autoir keys on.
      if (prefix !== undefined && prefix !== (address.includes(':') ? '128' : '32'))
        return { reason: `${shown} is a network, not one address (only /32 and /128 are imported)` };
      return { key: `ip:${ip}` };
    }
    default: {
      const [normalize, what] = NORMALIZERS[kind];
      const value = normalize(raw);
      return value ? { key: `${kind}:${value}` } : { reason: `${shown} is not ${what}` };
    }
  }
}

const NORMALIZERS = {
  domain: [normalizeDomain, 'a domain name'],
  url: [normalizeUrl, 'a URL'],
  mailbox: [normalizeEmailAddress, 'an e-mail address'],
} as const;

/** One draft per key; `#n` keeps the refs of a source item that yields several values apart. */
function pushDrafts(out: IntelImport, keys: string[], ref: string | undefined, rest: DraftRest): void {
  keys.forEach((entityKey, index) => {
    const sourceRef = ref !== undefined && keys.length > 1 ? `${ref}#${index + 1}` : ref;
    const draft: Record<string, unknown> = { entityKey, ...rest, sourceRef };
    for (const name of Object.keys(draft)) if (draft[name] === undefined) delete draft[name];
    out.drafts.push(draft as unknown as IndicatorDraft);
  });
}

type DraftRest = Omit<IndicatorDraft, 'entityKey' | 'sourceRef'>;

// ---------------------------------------------------------------------------------------------------------------
// STIX 2.1
// ---------------------------------------------------------------------------------------------------------------

/** Object paths we import, hash names canonicalised (`'SHA-256'` → `SHA256`). */
// prettier-ignore
const STIX_PATHS: Record<string, ValueKind> = {
  'file:hashes.SHA256': 'sha256', 'file:hashes.SHA1': 'sha1', 'file:hashes.MD5': 'md5',
  'ipv4-addr:value': 'ip', 'ipv6-addr:value': 'ip', 'domain-name:value': 'domain', 'url:value': 'url',
  'email-addr:value': 'mailbox', 'email-message:from_ref.value': 'mailbox',
};

function importStixIndicator(indicator: Record<string, unknown>, position: string, out: IntelImport): void {
  const id = typeof indicator.id === 'string' ? indicator.id : undefined;
  const ref = id ?? position;
  const skip = (reason: string) => void out.skipped.push({ ref, reason });
  const { pattern, pattern_type: patternType = 'stix', valid_until: validUntil } = indicator;
  if (indicator.revoked === true) return skip('the indicator is revoked');
  if (patternType !== 'stix') return skip(`pattern type ${JSON.stringify(patternType)} is not imported`);
  if (typeof pattern !== 'string') return skip('the indicator has no pattern');
  const expiresAt = typeof validUntil === 'string' ? Date.parse(validUntil) : undefined;
  if (validUntil !== undefined && !Number.isFinite(expiresAt))
    return skip(`valid_until ${JSON.stringify(validUntil)} is not a timestamp`);
  let comparisons: Comparison[];
  try {
    comparisons = parsePattern(pattern);
  } catch (error) {
    return skip(`the pattern is not valid STIX patterning: ${(error as Error).message}`);
  }

  const keys: string[] = [];
  const skippedBefore = out.skipped.length;
  for (const { path, operator, value } of comparisons) {
    const kind = STIX_PATHS[canonicalPath(path)];
    // Other properties (file:name, network-traffic:dst_port…) only narrow the match: the values we key on are
    // still worth importing alone, as blocklists do.
    if (!kind) continue;
    if (operator !== '=') {
      skip(`"${path} ${operator}" is not imported: only "=" comparisons are`);
      continue;
    }
    const result = value === undefined ? { reason: 'not compared with a string' } : keyFor(kind, value);
    if ('reason' in result) skip(`${path}: ${result.reason}`);
    else if (!keys.includes(result.key)) keys.push(result.key);
  }
  if (keys.length === 0 && out.skipped.length === skippedBefore)
    skip('the pattern names no file hash, IP address, domain, URL or e-mail address');
  const types = Array.isArray(indicator.indicator_types) ? indicator.indicator_types : [];
  pushDrafts(out, keys, id, {
    action: types.includes('benign') ? 'allow' : 'block',
    title: typeof indicator.name === 'string' ? indicator.name : pattern,
    description: typeof indicator.description === 'string' ? indicator.description : undefined,
    source: 'stix',
    expiresAt,
  });
}

/** One comparison of a pattern: `value` is the string literal compared with (absent for other literals). */
interface Comparison {
  readonly path: string;
  /** Upper-case, `NOT ` included: `=`, `NOT =`, `LIKE`, `IN`, `EXISTS`… */
  readonly operator: string;
  readonly value?: string;
}

type Token = { kind: 'path' | 'string' | 'literal' | 'op' | 'punct' | 'word'; text: string };

/** Token shapes, tried in order at each position (sticky: they match only there). */
const TOKENS: readonly (readonly [Token['kind'], RegExp])[] = [
  // `file:hashes.'SHA-256'`, `email-message:to_refs[*].value`
  ['path', /[a-z0-9][a-z0-9-]*:(?:\w+|'[^']*')(?:\.(?:\w+|'[^']*')|\[(?:\*|\d+)\])*/iy],
  // Only `\'` and `\\` escape in a string literal.
  ['string', /'(?:[^'\\]|\\['\\])*'/y],
  // Timestamps t'…', hex h'…', binary b'…', numbers.
  ['literal', /[thb]'(?:[^'\\]|\\['\\])*'|-?\d+(?:\.\d+)?/iy],
  ['op', /!=|<=|>=|=|<|>/y],
  ['punct', /[[\](),]/y],
  ['word', /[a-z_]+/iy],
];

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  for (;;) {
    while (/\s/.test(pattern.charAt(at))) at++;
    if (at >= pattern.length) return tokens;
    const token = TOKENS.map(([kind, shape]) => {
      shape.lastIndex = at;
      return { kind, text: shape.exec(pattern)?.[0] };
    }).find((candidate) => candidate.text !== undefined);
    if (token?.text === undefined)
      throw new Error(`unexpected ${JSON.stringify(pattern.slice(at, at + 20))}`);
    at += token.text.length;
    const text = token.kind === 'string' ? token.text.slice(1, -1).replace(/\\(.)/g, '$1') : token.text;
    tokens.push({ kind: token.kind, text });
  }
}

/** `file:hashes.'SHA-256'` → `file:hashes.SHA256`: quotes dropped, hash names as in {@link STIX_PATHS}. */
function canonicalPath(path: string): string {
  const unquoted = path.replace(/'([^']*)'/g, '$1');
  const hashes = 'file:hashes.';
  return unquoted.startsWith(hashes)
    ? hashes + unquoted.slice(hashes.length).toUpperCase().replace(/-/g, '')
    : unquoted;
}

/**
 * The comparisons of a STIX pattern, by a recursive descent over the STIX 2.1 grammar. AND, OR and FOLLOWEDBY all
 * just collect: every usable value becomes its own indicator. Qualifiers (WITHIN, REPEATS, START/STOP) are read
 * and dropped. Throws on a pattern that does not parse.
 */
function parsePattern(pattern: string): Comparison[] {
  const tokens = tokenize(pattern);
  const comparisons: Comparison[] = [];
  let at = 0;
  const isWord = (token: Token | undefined, ...words: string[]) =>
    (token?.kind === 'word' || token?.kind === 'punct') && words.includes(token.text.toUpperCase());
  /** Consume the next token when it is one of these keywords or punctuation marks. */
  const accept = (...words: string[]): boolean => isWord(tokens[at], ...words) && ++at > 0;
  const next = (): Token => {
    const token = tokens[at++];
    if (!token) throw new Error('the pattern ends too early');
    return token;
  };
  const expect = (text: string): void => {
    const token = next();
    if (token.text.toUpperCase() !== text) throw new Error(`expected ${text}, found ${token.text}`);
  };
  const objectPath = (): string => {
    const token = next();
    if (token.kind !== 'path') throw new Error(`expected an object path, found ${token.text}`);
    return token.text;
  };
  const literal = (): string | undefined => {
    const token = next();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'literal' || isWord(token, 'TRUE', 'FALSE')) return undefined;
    throw new Error(`expected a value, found ${token.text}`);
  };
  const observations = (): void => {
    do {
      if (accept('[')) {
        comparisonExpression();
        expect(']');
      } else if (accept('(')) {
        observations();
        expect(')');
      } else throw new Error(`expected [ or (, found ${tokens[at]?.text ?? 'the end'}`);
      while (isWord(tokens[at], 'WITHIN', 'REPEATS', 'START')) {
        const word = next().text.toUpperCase();
        literal();
        expect(word === 'WITHIN' ? 'SECONDS' : word === 'REPEATS' ? 'TIMES' : 'STOP');
        if (word === 'START') literal();
      }
    } while (accept('AND', 'OR', 'FOLLOWEDBY'));
  };
  const comparisonExpression = (): void => {
    do {
      if (accept('(')) {
        comparisonExpression();
        expect(')');
      } else if (accept('EXISTS')) comparisons.push({ path: objectPath(), operator: 'EXISTS' });
      else {
        const path = objectPath();
        const negated = accept('NOT');
        const op = next();
        if (op.kind !== 'op' && !isWord(op, 'LIKE', 'MATCHES', 'IN', 'ISSUBSET', 'ISSUPERSET'))
          throw new Error(`expected a comparison operator, found ${op.text}`);
        const operator = `${negated ? 'NOT ' : ''}${op.text.toUpperCase()}`;
        if (op.text.toUpperCase() !== 'IN') comparisons.push({ path, operator, value: literal() });
        else {
          expect('(');
          do literal();
          while (accept(','));
          expect(')');
          comparisons.push({ path, operator });
        }
      }
    } while (accept('AND', 'OR'));
  };
  observations();
  if (at < tokens.length) throw new Error(`unexpected ${tokens[at]?.text} after the end of the pattern`);
  return comparisons;
}

// ---------------------------------------------------------------------------------------------------------------
// MISP
// ---------------------------------------------------------------------------------------------------------------

/** The kind of each `|`-separated part of a value (`-`: a part not imported), by attribute type. */
type MispParts = ValueKind | `${ValueKind | '-'}|${ValueKind | '-'}`;

// prettier-ignore
const MISP_TYPES: Record<string, MispParts> = {
  md5: 'md5', sha1: 'sha1', sha256: 'sha256',
  'filename|md5': '-|md5', 'filename|sha1': '-|sha1', 'filename|sha256': '-|sha256',
  'ip-dst': 'ip', 'ip-src': 'ip', 'ip-dst|port': 'ip|-', 'ip-src|port': 'ip|-',
  domain: 'domain', hostname: 'domain', 'domain|ip': 'domain|ip', url: 'url',
  'email-src': 'mailbox', email: 'mailbox', 'email-reply-to': 'mailbox',
};

/** MISP's threat_level_id: 1 high, 2 medium, 3 low, 4 undefined. */
const MISP_SEVERITY: Record<string, Severity> = { '1': 'high', '2': 'medium', '3': 'low' };

function importMispAttribute(
  event: Record<string, unknown>,
  attribute: Record<string, unknown>,
  where: string,
  objectDeleted: boolean,
  out: IntelImport,
): void {
  const uuid = typeof attribute.uuid === 'string' ? attribute.uuid : undefined;
  const skip = (reason: string) => void out.skipped.push({ ref: uuid ?? where, reason });
  const { type, value } = attribute;
  const spec = typeof type === 'string' ? MISP_TYPES[type] : undefined;
  if (isTrue(attribute.deleted) || objectDeleted) return skip(`the ${type} attribute is deleted`);
  // to_ids is MISP's "actionable" flag: attributes without it are context, not detections.
  if (!isTrue(attribute.to_ids)) return skip(`the ${type} attribute is not marked for detection (to_ids)`);
  if (!spec) return skip(`MISP attribute type ${JSON.stringify(type)} is not imported`);
  if (typeof value !== 'string') return skip(`the ${type} attribute has no value`);
  const kinds = spec.split('|') as (ValueKind | '-')[];
  // A file name may hold a `|`; an address or domain cannot.
  const bar = spec.startsWith('-|') ? value.lastIndexOf('|') : value.indexOf('|');
  if (kinds.length > 1 && bar < 0) return skip(`the ${type} attribute: ${JSON.stringify(value)} has no "|"`);
  const parts = kinds.length > 1 ? [value.slice(0, bar), value.slice(bar + 1)] : [value];
  const keys: string[] = [];
  kinds.forEach((kind, index) => {
    if (kind === '-') return;
    const result = keyFor(kind, parts[index] ?? '');
    if ('reason' in result) skip(`the ${type} attribute: ${result.reason}`);
    else if (!keys.includes(result.key)) keys.push(result.key);
  });
  pushDrafts(out, keys, uuid, {
    action: 'block',
    title: typeof event.info === 'string' ? event.info : undefined,
    description:
      typeof attribute.comment === 'string' && attribute.comment !== '' ? attribute.comment : undefined,
    source: 'misp',
    severity: MISP_SEVERITY[String(event.threat_level_id)],
  });
}

// ---------------------------------------------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** MISP writes flags as booleans, or as `"1"`/`"0"` in older exports. */
function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}
