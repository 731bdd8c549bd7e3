/**
 * Sigma rules: parsing (YAML → validated rule), and compiling the detection once into a matcher over events.
 * Implements the detection language of the Sigma specification (v2): field maps and lists, keyword lists, null,
 * wildcards and escapes, every value modifier (contains, startswith, endswith, all, base64, base64offset,
 * utf16le/utf16be/wide, windash, re with i/m/s, cidr, exists, lt/lte/gt/gte, fieldref, cased, expand) and the
 * condition grammar (and / or / not, parentheses, `1 of x*`, `all of x*`, `N of`, `them`). Correlation rules and
 * placeholders without values are reported as unsupported with the reason — never guessed at.
 * https://github.com/SigmaHQ/sigma-specification
 */
import { parseAllDocuments } from 'yaml';
import { inCidr, parseCidr } from '../domain/net.js';
import { parseCondition, type ConditionNode } from './condition.js';

export const sigmaLevels = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SigmaLevel = (typeof sigmaLevels)[number];
export const sigmaStatuses = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
export type SigmaStatus = (typeof sigmaStatuses)[number];

export interface SigmaLogsource {
  readonly product?: string;
  readonly category?: string;
  readonly service?: string;
}

/** An event as rules see it: its fields by name (Sysmon / Windows names), and its text for keyword searches. */
export interface SigmaEvent {
  /** The value of a field, or `undefined` when the event has no such field. */
  get(field: string): string | undefined;
  /** Every field value, for keyword searches. */
  values(): readonly string[];
  /**
   * The value of a field in lower case, kept once computed: hundreds of rules read the same few fields of an
   * event case-insensitively. Optional; `get(field).toLowerCase()` otherwise.
   */
  lower?(field: string): string | undefined;
}

export interface SigmaRule {
  readonly id?: string;
  readonly title: string;
  readonly status?: SigmaStatus;
  readonly level?: SigmaLevel;
  readonly description?: string;
  readonly author?: string;
  readonly tags: readonly string[];
  readonly references: readonly string[];
  readonly falsepositives: readonly string[];
  readonly logsource: SigmaLogsource;
  /** Where it was loaded from. */
  readonly file: string;
  /** The compiled detection. */
  readonly matches: (event: SigmaEvent) => boolean;
  /** Fields the detection reads (for field mapping checks and docs). */
  readonly fields: readonly string[];
}

/** A rule that could not be compiled, and why. */
export interface SigmaProblem {
  readonly file: string;
  readonly id?: string;
  readonly title?: string;
  /** `error`: the rule is malformed; `unsupported`: valid Sigma that autoir does not evaluate (say why). */
  readonly kind: 'error' | 'unsupported';
  readonly field?: string;
  readonly reason: string;
}

export class SigmaError extends Error {
  constructor(
    readonly kind: 'error' | 'unsupported',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface CompileOptions {
  /** Values for `|expand` placeholders (`%name%`). A placeholder without values makes the rule unsupported. */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** Parse and compile one rule file's text. Throws SigmaError naming the field. */
export function compileRule(text: string, file: string, options: CompileOptions = {}): SigmaRule {
  const documents = parseAllDocuments(text);
  if (Array.isArray(documents) ? documents.length === 0 : true)
    throw new SigmaError('error', 'the file holds no YAML document');
  const docs = documents as Exclude<typeof documents, { empty: true }>;
  const first = docs[0];
  if (!first) throw new SigmaError('error', 'the file holds no YAML document');
  if (first.errors.length > 0)
    throw new SigmaError('error', `not valid YAML: ${first.errors[0]?.message ?? ''}`);
  if (docs.length > 1)
    throw new SigmaError(
      'unsupported',
      'rule collections (several YAML documents in one file) are not supported',
    );
  const raw: unknown = first.toJS();
  if (!isRecord(raw)) throw new SigmaError('error', 'the rule is not a YAML mapping');

  if ('correlation' in raw)
    throw new SigmaError(
      'unsupported',
      'correlation rules (event_count, value_count, temporal) are not evaluated yet',
      'correlation',
    );
  const title = raw.title;
  if (typeof title !== 'string' || title.trim() === '')
    throw new SigmaError('error', 'title: required string is missing', 'title');
  if (raw.id !== undefined && typeof raw.id !== 'string')
    throw new SigmaError('error', 'id: expected a string', 'id');
  const level = raw.level;
  if (level !== undefined && !(sigmaLevels as readonly unknown[]).includes(level))
    throw new SigmaError(
      'error',
      `level: expected one of ${sigmaLevels.join(', ')}, got ${JSON.stringify(level)}`,
      'level',
    );
  const status = raw.status;
  if (status !== undefined && !(sigmaStatuses as readonly unknown[]).includes(status))
    throw new SigmaError(
      'error',
      `status: expected one of ${sigmaStatuses.join(', ')}, got ${JSON.stringify(status)}`,
      'status',
    );
  const logsource = raw.logsource;
  if (!isRecord(logsource))
    throw new SigmaError('error', 'logsource: required mapping is missing', 'logsource');
  const detection = raw.detection;
  if (!isRecord(detection))
    throw new SigmaError('error', 'detection: required mapping is missing', 'detection');

  const compiled = compileDetection(detection, options);
  const text_ = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    id: text_(raw.id),
    title: title.trim(),
    status: status as SigmaStatus | undefined,
    level: level as SigmaLevel | undefined,
    description: text_(raw.description),
    author: text_(raw.author),
    tags: strings(raw.tags),
    references: strings(raw.references),
    falsepositives: strings(raw.falsepositives),
    logsource: {
      product: text_(logsource.product)?.toLowerCase(),
      category: text_(logsource.category)?.toLowerCase(),
      service: text_(logsource.service)?.toLowerCase(),
    },
    file,
    matches: compiled.matches,
    fields: compiled.fields,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------------------------------

type Matcher = (event: SigmaEvent) => boolean;

function compileDetection(
  detection: Record<string, unknown>,
  options: CompileOptions,
): { matches: Matcher; fields: string[] } {
  const conditionValue = detection.condition;
  const conditions = typeof conditionValue === 'string' ? [conditionValue] : strings(conditionValue);
  if (conditions.length === 0)
    throw new SigmaError('error', 'detection.condition: required string is missing', 'detection.condition');
  const fields = new Set<string>();
  const searches = new Map<string, Matcher>();
  for (const [name, value] of Object.entries(detection)) {
    if (name === 'condition' || name === 'timeframe') continue;
    try {
      searches.set(name, compileSearch(value, options, fields));
    } catch (error) {
      if (error instanceof SigmaError)
        throw new SigmaError(
          error.kind,
          `detection.${name}: ${error.message}`,
          `detection.${name}${error.field ? `.${error.field}` : ''}`,
        );
      throw error;
    }
  }
  if ('timeframe' in detection)
    throw new SigmaError(
      'unsupported',
      'detection.timeframe (aggregation over time) is not evaluated',
      'detection.timeframe',
    );
  const matchers = conditions.map((condition) => {
    let tree: ConditionNode;
    try {
      tree = parseCondition(condition);
    } catch (error) {
      const kind = /aggregation/.test((error as Error).message) ? 'unsupported' : 'error';
      throw new SigmaError(kind, `detection.condition: ${(error as Error).message}`, 'detection.condition');
    }
    return compileCondition(tree, searches);
  });
  const matches: Matcher =
    matchers.length === 1 ? (matchers[0] as Matcher) : (event) => matchers.some((m) => m(event));
  return { matches, fields: [...fields] };
}

function compileCondition(node: ConditionNode, searches: ReadonlyMap<string, Matcher>): Matcher {
  switch (node.type) {
    case 'search': {
      const search = searches.get(node.name);
      if (!search)
        throw new SigmaError(
          'error',
          `detection.condition: no search identifier ${node.name}`,
          'detection.condition',
        );
      return search;
    }
    case 'not': {
      const inner = compileCondition(node.operand, searches);
      return (event) => !inner(event);
    }
    case 'and': {
      const parts = node.operands.map((operand) => compileCondition(operand, searches));
      return (event) => parts.every((part) => part(event));
    }
    case 'or': {
      const parts = node.operands.map((operand) => compileCondition(operand, searches));
      return (event) => parts.some((part) => part(event));
    }
    case 'of': {
      const pattern = node.pattern;
      const names = [...searches.keys()].filter((name) =>
        pattern === 'them' ? !name.startsWith('_') : wildcardName(pattern).test(name),
      );
      if (names.length === 0)
        throw new SigmaError(
          'error',
          `detection.condition: ${node.quantifier} of ${pattern} matches no search identifier`,
          'detection.condition',
        );
      const parts = names.map((name) => searches.get(name) as Matcher);
      if (node.quantifier === 'all') return (event) => parts.every((part) => part(event));
      const needed = node.quantifier;
      if (needed <= 1) return (event) => parts.some((part) => part(event));
      return (event) => {
        let count = 0;
        for (const part of parts) if (part(event) && ++count >= needed) return true;
        return false;
      };
    }
  }
}

function wildcardName(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

/** A search identifier's value: a map (AND of fields), a list of maps (OR), a list of keywords (OR), a keyword. */
function compileSearch(value: unknown, options: CompileOptions, fields: Set<string>): Matcher {
  if (isRecord(value)) return compileMap(value, options, fields);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new SigmaError('error', 'an empty list matches nothing');
    if (value.every(isRecord)) {
      const maps = value.map((item) => compileMap(item, options, fields));
      return (event) => maps.some((map) => map(event));
    }
    if (value.some(isRecord)) throw new SigmaError('error', 'a list mixes field maps and keywords');
    return compileKeywords(value, [], options);
  }
  if (typeof value === 'string' || typeof value === 'number') return compileKeywords([value], [], options);
  throw new SigmaError(
    'error',
    `expected a map, a list or a keyword, got ${value === null ? 'null' : typeof value}`,
  );
}

function compileMap(map: Record<string, unknown>, options: CompileOptions, fields: Set<string>): Matcher {
  const parts: Matcher[] = [];
  for (const [key, value] of Object.entries(map)) {
    const [field = '', ...modifiers] = key.split('|');
    try {
      if (field === '') {
        parts.push(compileKeywords(Array.isArray(value) ? value : [value], modifiers, options));
        continue;
      }
      fields.add(field);
      parts.push(compileField(field, modifiers, value, options));
    } catch (error) {
      if (error instanceof SigmaError) throw new SigmaError(error.kind, `${key}: ${error.message}`, key);
      throw error;
    }
  }
  if (parts.length === 0) throw new SigmaError('error', 'an empty map matches nothing');
  return parts.length === 1 ? (parts[0] as Matcher) : (event) => parts.every((part) => part(event));
}

/** Keywords: a value anywhere in the event (contains, unless a modifier says otherwise). */
function compileKeywords(
  values: readonly unknown[],
  modifiers: readonly string[],
  options: CompileOptions,
): Matcher {
  const test = compileValues(values, modifiers.length > 0 ? modifiers : ['contains'], options);
  return (event) => {
    for (const value of event.values()) if (test.one(value, event)) return true;
    return false;
  };
}

const KNOWN_MODIFIERS = new Set([
  'contains',
  'startswith',
  'endswith',
  'all',
  'base64',
  'base64offset',
  'utf16le',
  'utf16be',
  'utf16',
  'wide',
  'windash',
  're',
  'i',
  'm',
  's',
  'cidr',
  'exists',
  'lt',
  'lte',
  'gt',
  'gte',
  'fieldref',
  'cased',
  'expand',
]);

function compileField(
  field: string,
  modifiers: readonly string[],
  value: unknown,
  options: CompileOptions,
): Matcher {
  for (const modifier of modifiers)
    if (!KNOWN_MODIFIERS.has(modifier)) throw new SigmaError('error', `unknown modifier |${modifier}`);
  if (modifiers.includes('exists')) {
    if (typeof value !== 'boolean') throw new SigmaError('error', '|exists takes true or false');
    return (event) => (event.get(field) !== undefined) === value;
  }
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) throw new SigmaError('error', 'an empty list matches nothing');
  // `Field: null` — the field is absent (or empty); in a list, null is one of the alternatives.
  const hasNull = values.some((item) => item === null);
  const rest = values.filter((item) => item !== null);
  const test = rest.length > 0 ? compileValues(rest, modifiers, options) : undefined;
  const lowered = test?.oneLower;
  return (event) => {
    const actual = lowered && event.lower ? event.lower(field) : event.get(field);
    if (actual === undefined || actual === '') {
      if (hasNull) return true;
      if (actual === undefined) return test?.absent ?? false;
    }
    if (test === undefined) return false;
    return lowered && event.lower ? lowered(actual as string, event) : test.one(actual as string, event);
  };
}

interface ValueTest {
  one(actual: string, event: SigmaEvent): boolean;
  /** What an absent field gives (false, except for a negative test). */
  readonly absent?: boolean;
  /** Set for case-insensitive tests: the same test on a value already in lower case. */
  readonly oneLower?: (lowered: string, event: SigmaEvent) => boolean;
}

/** The values of one field (or of keywords) with their modifiers: one test on an actual value. */
function compileValues(
  values: readonly unknown[],
  modifiers: readonly string[],
  options: CompileOptions,
): ValueTest {
  const has = (name: string) => modifiers.includes(name);
  const all = has('all');
  for (const value of values)
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      throw new SigmaError(
        'error',
        `expected a string or number, got ${Array.isArray(value) ? 'a list' : typeof value}`,
      );
  const texts = values.map((value) => String(value));

  if (has('fieldref')) {
    const cased = has('cased');
    const tests = texts.map((other) => (actual: string, event: SigmaEvent) => {
      const reference = event.get(other);
      if (reference === undefined) return false;
      return cased ? actual === reference : actual.toLowerCase() === reference.toLowerCase();
    });
    return combine(tests, all);
  }
  if (has('lt') || has('lte') || has('gt') || has('gte')) {
    const tests = texts.map((text) => {
      const limit = Number(text);
      if (!Number.isFinite(limit))
        throw new SigmaError('error', `a number is needed for |lt/|lte/|gt/|gte, got ${text}`);
      return (actual: string) => {
        const number = Number(actual);
        if (actual.trim() === '' || !Number.isFinite(number)) return false;
        if (has('lt')) return number < limit;
        if (has('lte')) return number <= limit;
        if (has('gt')) return number > limit;
        return number >= limit;
      };
    });
    return combine(tests, all);
  }
  if (has('cidr')) {
    const tests = texts.map((text) => {
      const cidr = parseCidr(text);
      if (!cidr) throw new SigmaError('error', `not a CIDR network: ${text}`);
      return (actual: string) => inCidr(actual, cidr);
    });
    return combine(tests, all);
  }
  if (has('re')) {
    const tests = texts.map((text) => {
      const { source, flags: inline } = translateRegex(text);
      const flags = [
        ...new Set(`${has('i') ? 'i' : ''}${has('m') ? 'm' : ''}${has('s') ? 's' : ''}${inline}`),
      ].join('');
      let regex: RegExp;
      try {
        regex = new RegExp(source, flags);
      } catch (error) {
        throw new SigmaError('error', `not a valid regular expression: ${(error as Error).message}`);
      }
      return (actual: string) => regex.test(actual);
    });
    return combine(tests, all);
  }

  // Transformations, in the order written: expand, windash, utf16*, base64 / base64offset.
  let variants: Variant[][] = texts.map((text) => [{ text, escaped: true }]);
  for (const modifier of modifiers) {
    switch (modifier) {
      case 'expand':
        variants = variants.map((list) => list.flatMap((variant) => expand(variant, options)));
        break;
      case 'windash':
        variants = variants.map((list) => list.flatMap(windash));
        break;
      case 'utf16le':
      case 'wide':
      case 'utf16be':
      case 'utf16':
        variants = variants.map((list) => list.map((variant) => encodeUtf16(variant, modifier)));
        break;
      case 'base64':
        variants = variants.map((list) =>
          list.map((variant) => ({ text: toBase64(variantBytes(variant)), escaped: false })),
        );
        break;
      case 'base64offset':
        variants = variants.map((list) => list.flatMap((variant) => base64Offsets(variantBytes(variant))));
        break;
      default:
        break;
    }
  }
  const mode = has('contains')
    ? 'contains'
    : has('startswith')
      ? 'startswith'
      : has('endswith')
        ? 'endswith'
        : 'equals';
  const cased = has('cased');
  const tests = variants.map((list) => {
    const patterns = list.map((variant) => compilePattern(variant, mode, cased));
    return patterns.length === 1
      ? (patterns[0] as (actual: string) => boolean)
      : (actual: string) => patterns.some((p) => p(actual));
  });
  // Case-insensitive tests compare lower-case text: lower the actual value once, not per pattern.
  if (!cased) {
    const combined = combine(tests, all);
    return { one: (actual, event) => combined.one(actual.toLowerCase(), event), oneLower: combined.one };
  }
  return combine(tests, all);
}

function combine(
  tests: readonly ((actual: string, event: SigmaEvent) => boolean)[],
  all: boolean,
): ValueTest {
  if (tests.length === 1) return { one: tests[0] as (actual: string, event: SigmaEvent) => boolean };
  return all
    ? { one: (actual, event) => tests.every((test) => test(actual, event)) }
    : { one: (actual, event) => tests.some((test) => test(actual, event)) };
}

/** A value to match: text with Sigma's wildcards and escapes (`escaped`), or literal text (after encoding). */
interface Variant {
  readonly text: string;
  readonly escaped: boolean;
  readonly bytes?: Uint8Array;
}

/** Sigma's escapes: `\*`, `\?` and `\\` are literal; a backslash before anything else is itself. */
function unescape(text: string): { literal: string; pieces: (string | '*' | '?')[] } {
  const pieces: (string | '*' | '?')[] = [];
  let current = '';
  let literal = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (char === '\\') {
      const next = text[index + 1];
      if (next === '*' || next === '?' || next === '\\') {
        current += next;
        literal += next;
        index++;
        continue;
      }
      current += char;
      literal += char;
      continue;
    }
    if (char === '*' || char === '?') {
      if (current !== '') pieces.push(current);
      current = '';
      pieces.push(char);
      literal += char;
      continue;
    }
    current += char;
    literal += char;
  }
  if (current !== '') pieces.push(current);
  return { literal, pieces };
}

function variantBytes(variant: Variant): Uint8Array {
  if (variant.bytes) return variant.bytes;
  return Buffer.from(variant.escaped ? unescape(variant.text).literal : variant.text, 'utf8');
}

function encodeUtf16(variant: Variant, modifier: string): Variant {
  const text = variant.escaped ? unescape(variant.text).literal : variant.text;
  const little = Buffer.from(text, 'utf16le');
  if (modifier === 'utf16be') {
    const big = Buffer.from(little);
    big.swap16();
    return { text, escaped: false, bytes: big };
  }
  if (modifier === 'utf16')
    return { text, escaped: false, bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), little]) };
  return { text, escaped: false, bytes: little };
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** The three encodings of a value at every byte offset, without the characters that depend on its neighbours. */
function base64Offsets(bytes: Uint8Array): Variant[] {
  const out: Variant[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), Buffer.from(bytes)]);
    const encoded = padded.toString('base64');
    const start = [0, 2, 3][offset] as number;
    const endTrim = [0, 3, 2][(bytes.length + offset) % 3] as number;
    const cut = encoded.slice(start, encoded.length - endTrim);
    out.push({ text: cut, escaped: false });
  }
  return out;
}

/** `-x` also as `/x`, `–x`, `—x`, `―x` (Windows command lines take all of them). */
function windash(variant: Variant): Variant[] {
  const dashes = ['-', '/', '\u2013', '\u2014', '\u2015'];
  if (!/(^|\s)-/.test(variant.text)) return [variant];
  return dashes.map((dash) => ({ ...variant, text: variant.text.replace(/(^|\s)-/g, `$1${dash}`) }));
}

function expand(variant: Variant, options: CompileOptions): Variant[] {
  const names = [...variant.text.matchAll(/%([A-Za-z0-9_]+)%/g)].map((match) => match[1] as string);
  if (names.length === 0) return [variant];
  let out: string[] = [variant.text];
  for (const name of new Set(names)) {
    const values = options.placeholders?.[name];
    if (!values || values.length === 0)
      throw new SigmaError('unsupported', `placeholder %${name}% has no values configured (|expand)`);
    out = out.flatMap((text) => values.map((value) => text.split(`%${name}%`).join(value)));
  }
  return out.map((text) => ({ ...variant, text }));
}

/** A pattern test on an actual value (already lower-case unless `cased`). */
function compilePattern(
  variant: Variant,
  mode: 'contains' | 'startswith' | 'endswith' | 'equals',
  cased: boolean,
): (actual: string) => boolean {
  let pieces: (string | '*' | '?')[] = variant.escaped
    ? unescape(variant.text).pieces
    : variant.text === ''
      ? []
      : [variant.text];
  if (!cased) pieces = pieces.map((piece) => (piece === '*' || piece === '?' ? piece : piece.toLowerCase()));
  if (mode === 'contains' || mode === 'endswith') pieces = ['*', ...pieces];
  if (mode === 'contains' || mode === 'startswith') pieces = [...pieces, '*'];
  // Collapse repeated stars.
  pieces = pieces.filter((piece, index) => !(piece === '*' && pieces[index - 1] === '*'));
  const wild = pieces.filter((piece) => piece === '*' || piece === '?');
  const literals = pieces.filter((piece): piece is string => piece !== '*' && piece !== '?');
  if (wild.length === 0) {
    const text = literals.join('');
    return (actual) => actual === text;
  }
  if (!wild.includes('?') && literals.length <= 1) {
    const text = literals[0] ?? '';
    const first = pieces[0] === '*';
    const last = pieces[pieces.length - 1] === '*';
    if (pieces.length === 1) return () => true;
    if (first && last) return (actual) => actual.includes(text);
    if (first) return (actual) => actual.endsWith(text);
    if (last) return (actual) => actual.startsWith(text);
  }
  const source = pieces
    .map((piece) =>
      piece === '*'
        ? '[\\s\\S]*'
        : piece === '?'
          ? '[\\s\\S]'
          : piece.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'),
    )
    .join('');
  const regex = new RegExp(`^${source}$`);
  return (actual) => regex.test(actual);
}

/**
 * Sigma regular expressions are PCRE-like; JavaScript's differ in a few spellings: inline flags at the start
 * (`(?i)`) become flags; flags further in, and PCRE's extended mode, are reported as unsupported.
 */
function translateRegex(text: string): { source: string; flags: string } {
  const leading = /^\(\?([ims]+)\)/.exec(text);
  const source = leading ? text.slice(leading[0].length) : text;
  if (/\(\?[imsx]+\)/.test(source) || /^\(\?[a-z]*x/.test(text))
    throw new SigmaError(
      'unsupported',
      'inline regex flags inside the pattern (or PCRE extended mode) are not supported',
    );
  return { source, flags: leading?.[1] ?? '' };
}
