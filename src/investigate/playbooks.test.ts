import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { draftAlert } from '../../test/helpers/alerts.js';
import { loadPlaybooks } from './playbooks.js';
import type { AlertRecord } from '../domain/alert.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-playbooks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alert = (overrides: Partial<AlertRecord>) =>
  ({ ...draftAlert({ sourceRef: 'x' }), id: 'alr_1', incidentId: null, ...overrides }) as AlertRecord;

describe('playbooks', () => {
  it('picks the highest-priority playbook whose trigger takes any alert', () => {
    const set = loadPlaybooks();
    expect(set.choose([alert({ category: 'discovery' })])?.id).toBe('suspiciousProcess');
    expect(
      set.choose([alert({ category: 'discovery' }), alert({ mitreTechniques: ['T1003.001'] })])?.id,
    ).toBe('credentialAccess');
    expect(set.choose([alert({ category: 'malware' })])?.id).toBe('malware');
    expect(set.choose([alert({ category: 'phishing' })])?.id).toBe('phishing');
    expect(set.choose([alert({ category: 'reconnaissance' })])).toBeUndefined();
    expect(set.general.id).toBe('general');
  });

  it('refuses a playbook naming an unknown analyzer, naming the file and field', () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'id: broken\ntitle: Broken\npriority: 1\ntriggers: [{ category: malware }]\nanalyzers: { process: [indicators, crystalBall] }\nfollowDepth: 1\nexpansion: []\n',
    );
    expect(() => loadPlaybooks([file])).toThrow(/bad\.yaml: analyzers\.process\.1: unknown analyzer/);
  });

  it('lets a configured directory replace a shipped playbook by id', () => {
    const extra = mkdtempSync(path.join(dir, 'more-'));
    writeFileSync(
      path.join(extra, 'malware.yaml'),
      'id: malware\ntitle: Ours\npriority: 99\ntriggers: [{ category: discovery }]\nanalyzers: {}\nfollowDepth: 0\nexpansion: []\n',
    );
    const set = loadPlaybooks([extra]);
    expect(set.playbooks.get('malware')?.title).toBe('Ours');
    expect(set.choose([alert({ category: 'discovery' })])?.id).toBe('malware');
  });
});
