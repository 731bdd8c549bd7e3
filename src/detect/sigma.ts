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
import { parseCondition, type ConditionNode } from './condition.js';
import { compileValues } from './sigma-values.js';
import type { CompileOptions, SigmaEvent } from './sigma-types.js';
import { SigmaError } from './sigma-types.js';

export const sigmaLevels = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SigmaLevel = (typeof sigmaLevels)[number];
export const sigmaStatuses = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
export type SigmaStatus = (typeof sigmaStatuses)[number];

export interface SigmaLogsource {
  readonly product?: string;
  readonly category?: string;
  readonly service?: string;
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
