/**
 * What an archive or a record may cost before autoir refuses it: archives nested at most MAX_ARCHIVE_DEPTH deep, at
 * most maxSpoolBytes spooled to disk at once, spools of a killed process removed by the next one, and records
 * nested at most MAX_JSON_DEPTH deep — each refusal a problem naming the document, the rest read on.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../test/helpers/zip.js';
import { MAX_JSON_DEPTH, parseBody } from './items.js';
import {
  MAX_ARCHIVE_DEPTH,
  openDocuments,
  planInput,
  removeStaleSpools,
  type InputDocument,
  type InputProblem,
} from './input.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'autoir-limits-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const alert = Buffer.from(
  JSON.stringify({
    source: 'edr',
    sourceRef: 'a',
    title: 't',
    severity: 'low',
    createdAt: '2024-01-01T00:00:00Z',
  }),
);

async function read(file: string, maxSpoolBytes?: number) {
  const documents: string[] = [];
  const problems: InputProblem[] = [];
  for await (const item of openDocuments(await planInput(file), maxSpoolBytes ? { maxSpoolBytes } : {})) {
    if ('chunks' in item) {
      for await (const _chunk of (item as InputDocument).chunks) void _chunk;
      documents.push(item.name);
    } else problems.push(item);
  }
  return { documents, problems };
}

const mySpools = () =>
  readdirSync(os.tmpdir()).filter((name) => name.startsWith(`autoir-zip-${process.pid}-`));

describe('archives', () => {
  it('refuses a zip inside a zip that would spool more than the cap, reads the rest, and leaves no spool', async () => {
    const inner = writeZip([['big.json', randomBytes(3 * 1024 * 1024)]]);
    const file = path.join(work, 'outer.zip');
    writeFileSync(
      file,
      writeZip([
        ['inner.zip', inner],
        ['ok.json', alert],
      ]),
    );
    const { documents, problems } = await read(file, 1024 * 1024);
    expect(documents).toEqual([`${file}:ok.json`]);
    expect(problems).toEqual([
      {
        name: `${file}:inner.zip`,
        message: expect.stringMatching(/passes the 1 MiB autoir spools at once: not read/),
      },
    ]);
    expect(mySpools()).toEqual([]);
    // Under the default cap the same archive is read whole.
    expect((await read(file)).documents).toEqual([`${file}:inner.zip:big.json`, `${file}:ok.json`]);
  });

  it(`opens archives nested ${MAX_ARCHIVE_DEPTH} deep, and names the one nested deeper`, async () => {
    let nested = writeZip([['deep.json', alert]]);
    for (let level = 1; level <= MAX_ARCHIVE_DEPTH; level++)
      nested = writeZip([[`level${level}.zip`, nested]]);
    const file = path.join(work, 'nested.zip');
    writeFileSync(file, nested);
    const { documents, problems } = await read(file);
    expect(documents).toEqual([]);
    expect(problems).toEqual([
      {
        name: `${file}:level4.zip:level3.zip:level2.zip:level1.zip`,
        message: `an archive inside ${MAX_ARCHIVE_DEPTH} others: autoir opens archives nested ${MAX_ARCHIVE_DEPTH} deep at most`,
      },
    ]);
  });

  it('removes the spools of processes that are gone, and old ones that name no process', () => {
    const dir = path.join(work, 'tmp');
    mkdirSync(dir);
    const dead = path.join(dir, 'autoir-zip-4194999-abc');
    const mine = path.join(dir, `autoir-zip-${process.pid}-def`);
    const oldStyle = path.join(dir, 'autoir-zip-ghi');
    const freshOldStyle = path.join(dir, 'autoir-zip-jkl');
    for (const spool of [dead, mine, oldStyle, freshOldStyle]) mkdirSync(spool);
    const twoDaysAgo = (Date.now() - 2 * 24 * 3_600_000) / 1000;
    utimesSync(oldStyle, twoDaysAgo, twoDaysAgo);
    expect(removeStaleSpools(dir).sort()).toEqual([dead, oldStyle].sort());
    expect(existsSync(mine) && existsSync(freshOldStyle)).toBe(true);
  });
});

/** Whether an item was refused for its depth (and not for anything else). */
const depthRefused = (outcome: { ok: boolean; error?: Error }) =>
  !outcome.ok && /nested more than/.test(outcome.error?.message ?? '');

describe('records', () => {
  it(`refuses a record nested more than ${MAX_JSON_DEPTH} deep, with its line, and reads the next`, () => {
    const deep = `{"source":"edr","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const items = parseBody(`${deep}\n${alert.toString()}\n`);
    expect(items[0]?.outcome).toMatchObject({ ok: false });
    const error = (items[0]!.outcome as { error: Error & { location: unknown } }).error;
    expect(error.message).toMatch(new RegExp(`nested more than ${MAX_JSON_DEPTH} levels deep`));
    expect(error.location).toEqual({ line: 1 });
    expect(depthRefused(items[1]!.outcome)).toBe(false);
    const justDeepEnough = `{"source":"edr","sourceRef":"b","title":"t","severity":"low","createdAt":"2024-01-01T00:00:00Z","x":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`;
    expect(depthRefused(parseBody(justDeepEnough)[0]!.outcome)).toBe(false);
  });
});
