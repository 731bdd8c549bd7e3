/**
 * Documents generated from code must match the code: the canonical alert JSON Schema, the OpenAPI document, and
 * the web UI's API types generated from it. After changing a schema or a route, refresh them with
 * `npm run docs:update`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServer } from '../src/api/server.js';
import { cliReference } from '../src/cli/main.js';
import { canonicalAlertSchema } from '../src/ingest/formats/autoir.js';
import type { Store } from '../src/store/ports.js';

const root = path.resolve(import.meta.dirname, '..');

function check(relative: string, generated: unknown): void {
  const file = path.join(root, relative);
  const text = typeof generated === 'string' ? generated : `${JSON.stringify(generated, null, 2)}\n`;
  if (process.env.UPDATE_DOCS === '1') writeFileSync(file, text);
  expect(existsSync(file), `${relative} is missing: run npm run docs:update`).toBe(true);
  expect(readFileSync(file, 'utf8'), `${relative} is out of date: run npm run docs:update`).toBe(text);
}

describe('generated documents', () => {
  it("docs/cli.md is every command's help, as the commands print it", () => {
    const io = {
      stdout: { write: () => true },
      stderr: { write: () => true },
      stdin: process.stdin,
      env: {},
    };
    check('docs/cli.md', cliReference(io));
  });

  it('docs/schemas/autoir-alert.schema.json is the canonical alert schema', () => {
    check('docs/schemas/autoir-alert.schema.json', {
      $id: 'https://autoir.dev/schemas/autoir-alert.schema.json',
      title: 'autoir alert',
      ...z.toJSONSchema(canonicalAlertSchema, { target: 'draft-2020-12', io: 'input' }),
    });
  });

  it('docs/api/openapi.json is what the server publishes', async () => {
    const app = createServer({ store: {} as Store, version: 'current' });
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    await app.close();
    check('docs/api/openapi.json', document);
  });

  it('web/src/generated/openapi.ts holds the types of the OpenAPI document (the web UI imports nothing else)', async () => {
    const document = JSON.parse(readFileSync(path.join(root, 'docs/api/openapi.json'), 'utf8')) as object;
    const types = astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
    check(
      'web/src/generated/openapi.ts',
      `// Generated from docs/api/openapi.json by openapi-typescript (npm run docs:update). Do not edit.\n\n${types}`,
    );
  });
});
