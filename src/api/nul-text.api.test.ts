/**
 * A NUL character (U+0000) in what arrives — an e-mail subject that decodes to one, an alert title, a user name
 * sent to the sign-in — is stored the same way on both backends (as U+FFFD, store/text.ts) and never keeps the
 * rest of its batch out. PostgreSQL's `text` refuses NUL: before, one such record failed its whole batch there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { useApi } from '../../test/helpers/api.js';
import { generatedMailCorpus } from '../../test/helpers/mail-corpus.js';
import { backends } from '../../test/helpers/stores.js';
import { runCli } from '../cli/main.js';

describe.each(backends)('text holding a NUL character on %s', (dialect) => {
  const api = useApi(dialect);

  it('stores every alert of a batch when one has a NUL in its title, the NUL read back as U+FFFD', async () => {
    const alerts = Array.from({ length: 6 }, (_, index) => ({
      source: 'edr',
      sourceRef: `nul-${index}`,
      title: index === 3 ? 'Suspicious\u0000logon' : `Suspicious logon ${index}`,
      severity: 'high',
      createdAt: '2024-05-01T10:00:00Z',
      entities: [{ type: 'user', name: index === 3 ? 'evil\u0000user' : `user${index}` }],
    }));
    const posted = await api.call('analyst', 'POST', '/api/v1/alerts', alerts);
    expect(posted.statusCode, posted.body).toBe(200);
    expect(posted.json().results.map((result: { status: string }) => result.status)).toEqual(
      Array(6).fill('created'),
    );
    const listed = await api.call('viewer', 'GET', '/api/v1/alerts?limit=10');
    const titles = (listed.json().items as { title: string }[]).map((alert) => alert.title);
    expect(titles).toHaveLength(6);
    expect(titles).toContain('Suspicious\uFFFDlogon');
    expect(titles.join('')).not.toContain('\u0000');
  });

  it('answers a sign-in with a NUL in the user name 401, not 500', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username: 'admin\u0000', password: 'whatever-password-1' },
    });
    expect(response.statusCode, response.body).toBe(401);
    expect(response.json().error.code).toBe('AUTOIR_E_UNAUTHENTICATED');
  });

  it('ingests a folder of six e-mails when one subject decodes to a NUL', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-nul-mail-'));
    try {
      const corpus = generatedMailCorpus().slice(0, 6);
      corpus.forEach((message, index) => {
        const raw =
          index === 2
            ? message.raw.replace(/^Subject: .*$/m, 'Subject: =?UTF-8?B?SW52b2ljZQBkdWU=?=') // "Invoice\0due"
            : message.raw;
        writeFileSync(path.join(dir, message.name), raw);
      });
      let stdout = '';
      let stderr = '';
      const code = await runCli(['ingest', dir, '--json'], {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        stdin: Readable.from([]),
        env: { ...api.t.env },
      });
      expect(code, stderr).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ events: 6, formats: { email: 6 }, errorCount: 0 });
      const events = await api.t.store.events.searchEvents({}, { limit: 10 });
      expect(events.items).toHaveLength(6);
      const text = JSON.stringify(events.items);
      expect(text).toContain('Invoice\uFFFDdue');
      expect(text).toContain('mailSubject:invoice\uFFFDdue');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
