/**
 * Shared generators of the fuzz suites: how many cases, strings that break naive code, and JSON values made from
 * real records by mutation.
 */
import fc from 'fast-check';

/** Cases per property: `AUTOIR_FUZZ_RUNS` (`npm run fuzz`: 10,000), else a bounded sample for every test run. */
export const fuzzRuns = Number(process.env.AUTOIR_FUZZ_RUNS ?? 200);

/** A fuzz test's time limit: a nightly-length run takes longer than a test usually may. */
export const fuzzTimeout = process.env.AUTOIR_FUZZ_RUNS ? 4 * 3_600_000 : 120_000;

/** Cases per API operation: as many, else a smaller sample (each is an HTTP request and store reads). */
export const apiFuzzRuns = Number(process.env.AUTOIR_FUZZ_RUNS ?? 25);

/** Strings that break naive code: NUL and control characters, lone surrogates, very long, RTL marks, emoji. */
export function weirdString(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 50 }),
    fc.string({ unit: 'binary', maxLength: 50 }),
    fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '\u202e', '\ufeff', '💣'.repeat(20), ''),
    fc.nat({ max: 100_000 }).map((length) => 'x'.repeat(length)),
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      '../../etc/passwd',
      '%s%n',
      '${7*7}',
    ),
  );
}

/** Any JSON value, strings weird. */
export function anyJson(maxDepth = 4): fc.Arbitrary<unknown> {
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth },
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308, -0),
      weirdString(),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(weirdString(), tie('value'), { maxKeys: 4 }),
    ),
  })).value;
}

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = [], out: Path[] = [], depth = 0): Path[] {
  out.push(prefix);
  if (depth > 8 || value === null || typeof value !== 'object') return out;
  for (const [key, item] of Object.entries(value))
    paths(item, [...prefix, Array.isArray(value) ? Number(key) : key], out, depth + 1);
  return out;
}

function setAt(value: unknown, path: Path, replace: (old: unknown) => unknown | typeof REMOVE): unknown {
  if (path.length === 0) {
    const next = replace(value);
    return next === REMOVE ? undefined : next;
  }
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(value)) {
    const copy = value.slice();
    const next = setAt(copy[head as number], rest, replace);
    if (next === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  const next = setAt(copy[head as string], rest, replace);
  if (next === undefined && rest.length === 0) delete copy[head as string];
  else copy[head as string] = next;
  return copy;
}

const REMOVE = Symbol('remove');

/** A seed with one to three of its fields replaced, removed, retyped or nested deep. */
export function mutatedJson(seeds: readonly unknown[]): fc.Arbitrary<unknown> {
  const mutation = fc.oneof(
    anyJson().map((json) => () => json),
    fc.constant(() => REMOVE),
    fc.constant((old: unknown) => [old]),
    fc.constant((old: unknown) => JSON.stringify(old ?? null)),
    fc.nat({ max: 80 }).map((depth) => (old: unknown) => {
      let value: unknown = old;
      for (let i = 0; i < depth; i++) value = { a: value };
      return value;
    }),
  );
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }))
    .map(([seed, steps]) => {
      let value: unknown = seed;
      for (const [at, change] of steps) {
        const all = paths(value);
        value = setAt(value, all[at % all.length] as Path, change as (old: unknown) => unknown);
      }
      return value ?? null;
    });
}
