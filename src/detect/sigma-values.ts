/**
 * Sigma field values with their modifiers, compiled to one test on an event's value: wildcards and escapes,
 * `contains` / `startswith` / `endswith` / `all`, `re` (with its flags), `cidr`, comparisons, `fieldref`, and the
 * encodings that expand one value into several (`base64`, `base64offset`, `utf16le` / `wide`, `windash`, `expand`).
 */
import { inCidr, parseCidr } from '../domain/net.js';
import { type CompileOptions, type SigmaEvent, SigmaError } from './sigma-types.js';

export interface ValueTest {
  one(actual: string, event: SigmaEvent): boolean;
  /** What an absent field gives (false, except for a negative test). */
  readonly absent?: boolean;
  /** Set for case-insensitive tests: the same test on a value already in lower case. */
  readonly oneLower?: (lowered: string, event: SigmaEvent) => boolean;
}

/** The values of one field (or of keywords) with their modifiers: one test on an actual value. */
export function compileValues(
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
