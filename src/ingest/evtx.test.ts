/**
 * Raw EVTX against SigmaHQ's regression data (test/fixtures/sigma, the EVTX files gzipped: each is one 64 KiB chunk,
 * mostly empty): every JSON event (evtx_dump output) parses, and each EVTX twin gives the same normalised events.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/helpers/shared-data.js';
import { eventAt } from './ports.js';
import { DocumentParser, type ParsedItem } from './parse-batch.js';

function files(dir: string, extension: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...files(full, extension));
    else if (name.endsWith(extension)) out.push(full);
  }
  return out.sort();
}

async function parse(bytes: Buffer, name: string, chunkSize = 64 * 1024): Promise<ParsedItem[]> {
  const parser = new DocumentParser({ name });
  const items: ParsedItem[] = [];
  for (let start = 0; start < bytes.length; start += chunkSize)
    items.push(...parser.push(bytes.subarray(start, start + chunkSize)));
  items.push(...(await parser.end()));
  return items;
}

/** An event's columns without its identity and raw record (which differ by construction between the twins). */
function normalised(items: readonly ParsedItem[]): unknown[][] {
  return items.flatMap((item) =>
    item.ok
      ? item.events.map((event) =>
          event.values.filter((_, index) => index !== eventAt.ref && index !== eventAt.raw),
        )
      : [],
  );
}

describe('SigmaHQ regression data', () => {
  const root = fixture('sigma/regression_data');
  const jsonFiles = files(root, '.json');

  it('has the 202 JSON events and their EVTX twins', () => {
    expect(jsonFiles).toHaveLength(202);
    expect(files(root, '.evtx.gz')).toHaveLength(202);
  });

  it('parses every JSON event (evtx_dump shape) without an error', async () => {
    const failures: string[] = [];
    let events = 0;
    for (const file of jsonFiles) {
      const items = await parse(readFileSync(file), file);
      for (const item of items) if (!item.ok) failures.push(`${file}: ${item.error.message}`);
      events += normalised(items).length;
      expect(items.every((item) => !item.ok || item.format === 'windows')).toBe(true);
    }
    expect(failures).toEqual([]);
    // Some files hold several events (pretty-printed one after another).
    expect(events).toBe(238);
  });

  it('reads each EVTX twin into the same normalised events as its JSON', async () => {
    const differences: string[] = [];
    for (const file of jsonFiles) {
      const twin = file.replace(/\.json$/, '.evtx');
      const fromJson = normalised(await parse(readFileSync(file), file));
      const evtxItems = await parse(gunzipSync(readFileSync(`${twin}.gz`)), twin, 4096 + 1000);
      const errors = evtxItems.filter((item) => !item.ok);
      if (errors.length > 0) differences.push(`${twin}: ${JSON.stringify(errors)}`);
      const fromEvtx = normalised(evtxItems);
      if (JSON.stringify(fromEvtx) !== JSON.stringify(fromJson))
        differences.push(
          `${path.relative(root, twin)}:\n  json ${JSON.stringify(fromJson)}\n  evtx ${JSON.stringify(fromEvtx)}`,
        );
    }
    expect(differences).toEqual([]);
  });

  it('reports a truncated EVTX file as fatal, and a file that is not EVTX', async () => {
    const packed = files(root, '.evtx.gz')[0] as string;
    const twin = packed.replace(/\.gz$/, '');
    const bytes = gunzipSync(readFileSync(packed));
    const cut = await parse(bytes.subarray(0, 4096 + 30_000), twin);
    expect(cut.at(-1)).toMatchObject({
      ok: false,
      fatal: true,
      error: { message: expect.stringMatching(/truncated/) },
    });
    const short = await parse(bytes.subarray(0, 100), twin);
    expect(short.at(-1)).toMatchObject({ ok: false, fatal: true });
  });

  it('names a damaged chunk and where it starts, rather than reading it as no events', async () => {
    const packed = files(root, '.evtx.gz')[0] as string;
    const twin = packed.replace(/\.gz$/, '');
    const bytes = Buffer.from(gunzipSync(readFileSync(packed)));
    const whole = (await parse(bytes, twin)).filter((item) => item.ok && item.events.length > 0).length;
    expect(whole).toBeGreaterThan(0);
    // Signatures intact, everything else in the chunk garbage.
    const garbage = Buffer.from(bytes);
    for (let at = 4096 + 8; at < garbage.length; at++) garbage[at] = (at * 7919) & 0xff;
    const damaged = await parse(garbage, twin);
    expect(damaged.filter((item) => item.ok && item.events.length > 0)).toEqual([]);
    expect(damaged).toContainEqual(
      expect.objectContaining({
        ok: false,
        error: expect.objectContaining({
          message: expect.stringMatching(
            /chunk 0 \(at byte 4096\): its header checksum does not match: damaged/,
          ),
        }),
      }),
    );
    // A header intact with records damaged: the first bad record is named with its byte in the file.
    const records = Buffer.from(bytes);
    records.fill(0x41, 4096 + 512, 4096 + 520);
    const named = await parse(records, twin);
    expect(named).toContainEqual(
      expect.objectContaining({
        ok: false,
        error: expect.objectContaining({
          message: expect.stringMatching(/no record where one should start \(byte 4608\)/),
        }),
      }),
    );
  });
});
