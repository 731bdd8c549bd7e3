import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonRecord, readRecords, type RawRecord, type RecordProblem } from './json-records.js';

async function collect(
  input: string | string[],
  maxRecordBytes?: number,
): Promise<(RawRecord | RecordProblem)[]> {
  const chunks = Array.isArray(input) ? input : [input];
  async function* source() {
    for (const chunk of chunks) yield Buffer.from(chunk);
  }
  const out: (RawRecord | RecordProblem)[] = [];
  for await (const item of readRecords(source(), { maxRecordBytes })) out.push(item);
  return out;
}

const records = (items: (RawRecord | RecordProblem)[]) =>
  items
    .filter((item): item is RawRecord => item.kind === 'record')
    .map((item) => [item.line, JSON.parse(item.text)]);

describe('readRecords', () => {
  it('reads NDJSON line by line, skipping blank lines and CRLF endings', async () => {
    const out = await collect('{"a":1}\r\n\n{"a":2}\n  \n{"a":3}');
    expect(records(out)).toEqual([
      [1, { a: 1 }],
      [3, { a: 2 }],
      [5, { a: 3 }],
    ]);
  });

  it('keeps reading NDJSON whose first line is broken', async () => {
    const out = await collect('{"a": 1, "trunc\n{"a":2}\n{"a":3}\n');
    expect(records(out.filter((item) => item.kind === 'record' && item.line > 1))).toEqual([
      [2, { a: 2 }],
      [3, { a: 3 }],
    ]);
    expect(out[0]).toMatchObject({ kind: 'record', line: 1 });
    // …but a pretty-printed object is still one value.
    expect(records(await collect('{\n  "a": {\n    "b": 1\n  }\n}\n'))).toEqual([[1, { a: { b: 1 } }]]);
  });

  it('streams the elements of a top-level array, with the line each starts on', async () => {
    const out = await collect('[\n  {"a": [1, {"b": "]"}]},\n  {"a": "x\\"}"}\n]\n');
    expect(records(out)).toEqual([
      [2, { a: [1, { b: ']' }] }],
      [3, { a: 'x"}' }],
    ]);
  });

  it('reads a single pretty-printed object and concatenated objects', async () => {
    expect(records(await collect('{\n "a": 1,\n "b": {"c": "}"}\n}\n'))).toEqual([
      [1, { a: 1, b: { c: '}' } }],
    ]);
    expect(records(await collect('{\n"a":1}\n{\n"a":2}'))).toEqual([
      [1, { a: 1 }],
      [3, { a: 2 }],
    ]);
  });

  it('gives the same records however the input is cut into chunks', async () => {
    const text = '[{"k":"v\\\\","n":[1,2,{"x":"é"}]},\n{"k":"w"},\n{"k":"[{"}]';
    const whole = records(await collect(text));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 6 }),
        async (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          const pieces: string[] = [];
          let from = 0;
          for (const point of points) {
            pieces.push(text.slice(from, point));
            from = point;
          }
          pieces.push(text.slice(from));
          expect(records(await collect(pieces))).toEqual(whole);
        },
      ),
    );
  });

  it('splits multi-byte characters across chunks correctly', async () => {
    const bytes = Buffer.from('{"name":"Łódź ✓"}\n');
    async function* source() {
      for (let index = 0; index < bytes.length; index++) yield bytes.subarray(index, index + 1);
    }
    const out: (RawRecord | RecordProblem)[] = [];
    for await (const item of readRecords(source())) out.push(item);
    expect(records(out)).toEqual([[1, { name: 'Łódź ✓' }]]);
  });

  it('refuses input that is not JSON, once, naming the start', async () => {
    expect(await collect('time,host\n1,a\n')).toEqual([
      { kind: 'problem', line: 1, message: 'not JSON: the input starts with "time,host?1,a?"', fatal: true },
    ]);
  });

  it('reports a truncated value and a truncated array', async () => {
    expect((await collect('{\n"a": {"b": 1}\n')).at(-1)).toMatchObject({
      kind: 'problem',
      line: 1,
      fatal: true,
      message: expect.stringMatching(/truncated/),
    });
    const array = await collect('[{"a":1},\n{"a":2}');
    expect(records(array)).toEqual([
      [1, { a: 1 }],
      [2, { a: 2 }],
    ]);
    expect(array.at(-1)).toMatchObject({
      kind: 'problem',
      message: expect.stringMatching(/array does not end/),
    });
  });

  it('skips a record over the size limit and goes on', async () => {
    const big = `{"x":"${'a'.repeat(200)}"}`;
    const out = await collect([`{"a":1}\n${big.slice(0, 100)}`, `${big.slice(100)}\n{"a":2}\n`], 64);
    expect(records(out)).toEqual([
      [1, { a: 1 }],
      [3, { a: 2 }],
    ]);
    expect(out.filter((item) => item.kind === 'problem')).toEqual([
      { kind: 'problem', line: 2, message: 'line is longer than 64 bytes', fatal: false },
    ]);
    const arrayOut = await collect(`[{"a":1},${big},{"a":2}]`, 64);
    expect(records(arrayOut)).toEqual([
      [1, { a: 1 }],
      [1, { a: 2 }],
    ]);
    expect(arrayOut.filter((item) => item.kind === 'problem')).toHaveLength(1);
  });

  it('ignores a byte order mark', async () => {
    expect(records(await collect('\ufeff{"a":1}\n{"a":2}\n'))).toEqual([
      [1, { a: 1 }],
      [2, { a: 2 }],
    ]);
    expect(records(await collect('\ufeff[{"a":1}]'))).toEqual([[1, { a: 1 }]]);
  });

  it('reads nothing from empty or blank input', async () => {
    expect(await collect('')).toEqual([]);
    expect(await collect(' \n\n')).toEqual([]);
  });
});

describe('parseJsonRecord', () => {
  it('places a syntax error on its line and column inside a multi-line record', () => {
    const result = parseJsonRecord({ kind: 'record', line: 10, text: '{\n  "a": 1,\n  "b": }' });
    expect(result).toMatchObject({ ok: false, line: 12 });
    expect(!result.ok && result.message).toMatch(/^not valid JSON: .*\(column 8\)$/);
  });
});
