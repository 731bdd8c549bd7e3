/**
 * Fuzzing every input format (property-based, fast-check): records of each format taken from the fixtures and
 * mutated — fields replaced by any JSON value, removed, retyped, nested deep, NULs and odd Unicode in strings — and
 * raw bytes that look like EVTX, e-mail, Zeek TSV or nothing at all. Whatever arrives, parsing returns outcomes:
 * no throw, and every refusal is a user error with a message.
 *
 * `AUTOIR_FUZZ_RUNS` sets the cases per property (CI: a bounded sample; `npm run fuzz`: 10,000). Inputs a run finds
 * become fixtures in test/fixtures/fuzz/inputs/ and are replayed first, every run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAutoirError } from '../../src/domain/errors.js';
import { parseBody } from '../../src/ingest/items.js';
import { DocumentParser, type ParsedItem } from '../../src/ingest/parse-batch.js';
import { fuzzRuns, fuzzTimeout, mutatedJson, weirdString } from './arbitraries.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures');

/** One record of each fixture file of a folder (the first line of NDJSON, the first element of an array). */
function seeds(dir: string): unknown[] {
  const out: unknown[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...seeds(full));
    else if (/\.(json|ndjson)$/.test(entry.name)) {
      const text = readFileSync(full, 'utf8').trim();
      const first = entry.name.endsWith('.ndjson') ? (text.split('\n')[0] as string) : text;
      const value: unknown = JSON.parse(first);
      out.push(Array.isArray(value) ? value[0] : value);
    }
  }
  return out;
}

const recordSeeds = [...seeds(path.join(fixtures, 'alerts')), ...seeds(path.join(fixtures, 'events'))];
const emailSeeds = ['broken-from.eml', 'invoice-lookalike.eml'].map((name) =>
  readFileSync(path.join(fixtures, 'email', name), 'latin1'),
);

/** What parsing must give for any input: outcomes, each refusal a user error with a message. */
function checkItems(items: readonly { outcome: { ok: boolean; error?: unknown } }[]): void {
  for (const { outcome } of items)
    if (!outcome.ok) {
      expect(isAutoirError(outcome.error) && outcome.error.family, String(outcome.error)).toBe('user');
      expect((outcome.error as Error).message.length).toBeGreaterThan(0);
    }
}

async function parseDocument(bytes: Buffer, name: string): Promise<ParsedItem[]> {
  const parser = new DocumentParser({ name });
  const items: ParsedItem[] = [];
  for (let start = 0; start < bytes.length; start += 4096)
    items.push(...parser.push(bytes.subarray(start, start + 4096)));
  items.push(...(await parser.end()));
  return items;
}

function checkParsed(items: readonly ParsedItem[]): void {
  for (const item of items) if (!item.ok) expect(item.error.message.length).toBeGreaterThan(0);
}

/** Found inputs, replayed first: `{ "kind": "record" | "document", "name"?, "text" | "base64" }`. */
const found = path.join(fixtures, 'fuzz', 'inputs');
interface Replay {
  readonly file: string;
  readonly kind: 'record' | 'document';
  readonly name?: string;
  readonly text?: string;
  readonly base64?: string;
}
const replays: Replay[] = readdirSync(found)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({
    file,
    ...(JSON.parse(readFileSync(path.join(found, file), 'utf8')) as Omit<Replay, 'file'>),
  }));

describe('input formats under fuzzing', () => {
  it('has seeds of every fixture format', () => {
    expect(recordSeeds.length).toBeGreaterThanOrEqual(12);
  });

  it.each(replays)('replays $file', async (replay) => {
    if (replay.kind === 'record') checkItems(parseBody(replay.text as string));
    else
      checkParsed(
        await parseDocument(Buffer.from(replay.base64 as string, 'base64'), replay.name ?? 'input'),
      );
  });

  it(
    'parses mutated records of every format into outcomes, never a throw',
    () => {
      fc.assert(
        fc.property(mutatedJson(recordSeeds), (value) => {
          checkItems(parseBody(JSON.stringify(value)));
        }),
        { numRuns: fuzzRuns },
      );
    },
    fuzzTimeout,
  );

  it(
    'parses NDJSON, arrays and text that is not JSON into outcomes',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc
              .array(mutatedJson(recordSeeds), { maxLength: 4 })
              .map((values) => values.map((v) => JSON.stringify(v)).join('\n')),
            fc.array(mutatedJson(recordSeeds), { maxLength: 4 }).map((values) => JSON.stringify(values)),
            weirdString(),
            fc.string({ unit: 'binary', maxLength: 2000 }),
          ),
          (text) => {
            checkItems(parseBody(text));
          },
        ),
        { numRuns: fuzzRuns },
      );
    },
    fuzzTimeout,
  );

  it(
    'reads bytes that look like EVTX, e-mail or Zeek TSV, or like nothing, into items, never a throw',
    async () => {
      const evtxHeader = Buffer.alloc(4096);
      evtxHeader.write('ElfFile\0', 0, 'latin1');
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc
              .tuple(fc.uint8Array({ maxLength: 70_000 }), fc.boolean())
              .map(([body, chunk]) =>
                Buffer.concat([
                  evtxHeader,
                  chunk ? Buffer.from('ElfChnk\0', 'latin1') : Buffer.alloc(0),
                  body,
                ]),
              ),
            fc.tuple(fc.constantFrom(...emailSeeds), fc.nat(), weirdString()).map(([seed, at, text]) => {
              const cut = at % (seed.length + 1);
              return Buffer.from(seed.slice(0, cut) + text + seed.slice(cut), 'latin1');
            }),
            fc
              .array(weirdString(), { maxLength: 8 })
              .map((fields) => Buffer.from(`#separator \\x09\n#fields\tts\tuid\n${fields.join('\t')}\n`)),
            fc.uint8Array({ maxLength: 5000 }).map((bytes) => Buffer.from(bytes)),
          ),
          fc.constantFrom('input.evtx', 'message.eml', 'conn.log', 'input'),
          async (bytes, name) => {
            checkParsed(await parseDocument(bytes, name));
          },
        ),
        { numRuns: fuzzRuns },
      );
    },
    fuzzTimeout,
  );
});
