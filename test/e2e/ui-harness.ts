/**
 * The analyst UI's test harness: a real `autoir serve` on a store loaded with OTRF LSASS_campaign_01 (ingested and
 * investigated by the CLI), a responder, an admin, a viewer's and a robot's token, a recording connector, and
 * Debian's Chromium driven by playwright-core. Each test file that imports it gets its own (vitest isolates
 * files); screenshots go to test-results/screenshots (or AUTOIR_SCREENSHOTS).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from '../../bench/browser.js';
import { lsassCampaign01 } from '../helpers/shared-data.js';
import { createRecorder, type Recorder } from '../helpers/recorder.js';

const root = path.resolve(import.meta.dirname, '../..');
export const bin = path.join(root, 'bin/autoir.js');
const shots = path.resolve(root, process.env.AUTOIR_SCREENSHOTS ?? 'test-results/screenshots');
export const PASSWORD = 'correct horse battery staple';

export let base: string;
let data: string;
let server: ChildProcess | undefined;
export let url = '';
export let browser: Browser | undefined;
export let viewerToken = '';
export let recorder: Recorder;
export let robotToken = '';

export function autoir(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, '--data', data, ...args], {
    encoding: 'utf8',
    env: { ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: '', AUTOIR_RULES: '', USER: 'setup' },
    maxBuffer: 64 << 20,
    ...(input !== undefined ? { input } : {}),
  });
  if (result.status !== 0) throw new Error(`autoir ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

async function startServer(): Promise<void> {
  const { connectors } = (recorder = createRecorder(base, 'done by the test connector'));
  // One followed file, shown on the Inputs tab.
  writeFileSync(path.join(base, 'eve.json'), '');
  writeFileSync(
    path.join(base, 'inputs.yaml'),
    'inputs:\n  suricata-eve:\n    kind: file\n    paths: [eve.json]\n',
  );
  server = spawn(process.execPath, [bin, '--data', data, 'serve', '--port', '0', '--log-format', 'text'], {
    env: {
      ...process.env,
      AUTOIR_DATABASE_URL: '',
      AUTOIR_DATA: '',
      AUTOIR_RULES: '',
      AUTOIR_CONNECTORS: connectors,
      AUTOIR_INPUTS: path.join(base, 'inputs.yaml'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`autoir serve did not start: ${stderr}`)), 30_000);
    server?.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server?.on('exit', (code) => reject(new Error(`autoir serve exited ${code}: ${stderr}`)));
  });
}

export interface DrawnGraph {
  nodes: {
    id: string;
    label: string;
    kind: string;
    count: number;
    classes: string[];
    rendered: { x: number; y: number };
  }[];
  edges: { source: string; target: string; label: string; classes: string[] }[];
  /** Pairs of nodes whose drawn boxes, labels included, overlap. */
  overlaps: [string, string][];
}

/** What cytoscape drew in the investigation graph, read from its instance on the container. */
export async function drawnGraph(page: Page): Promise<DrawnGraph> {
  return page.getByTestId('investigation-graph').evaluate((element) => {
    interface Box {
      x1: number;
      x2: number;
      y1: number;
      y2: number;
    }
    interface Element {
      id(): string;
      data(name: string): unknown;
      classes(): string[];
      renderedPosition(): { x: number; y: number };
      boundingBox(options: object): Box;
    }
    const cy = (element as unknown as { _cyreg: { cy: { nodes(): Element[]; edges(): Element[] } } })._cyreg
      .cy;
    const nodes = cy.nodes().map((node) => ({
      id: node.id(),
      label: String(node.data('label')),
      kind: String(node.data('kind')),
      count: Number(node.data('count')),
      classes: node.classes(),
      rendered: node.renderedPosition(),
      box: node.boundingBox({ includeLabels: true }),
    }));
    const overlaps: [string, string][] = [];
    for (const [index, a] of nodes.entries())
      for (const b of nodes.slice(index + 1))
        if (a.box.x1 < b.box.x2 && b.box.x1 < a.box.x2 && a.box.y1 < b.box.y2 && b.box.y1 < a.box.y2)
          overlaps.push([a.id, b.id]);
    return {
      nodes: nodes.map(({ box: _box, ...node }) => node),
      edges: cy.edges().map((edge) => ({
        source: String(edge.data('source')),
        target: String(edge.data('target')),
        label: String(edge.data('label')),
        classes: edge.classes(),
      })),
      overlaps,
    };
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
}

export async function signIn(page: Page, how: { username: string; password: string } | { token: string }) {
  await page.goto(url);
  if ('token' in how) {
    await page.getByLabel('an API token').check();
    await page.getByLabel('API token', { exact: true }).fill(how.token);
  } else {
    await page.getByLabel('Username').fill(how.username);
    await page.getByLabel('Password').fill(how.password);
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

/** Before a file's tests: a store loaded with LSASS_campaign_01 and investigated, users and tokens, `autoir serve`, Chromium. */
export async function setupUi(): Promise<void> {
  base = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-ui-'));
  data = path.join(base, 'data');
  autoir(['ingest', lsassCampaign01]);
  autoir(['run', '--until-idle']);
  autoir(['users', 'add', 'alice', '--role', 'responder', '--password-stdin'], `${PASSWORD}\n`);
  autoir(['users', 'add', 'ada', '--role', 'admin', '--password-stdin'], `${PASSWORD}\n`);
  viewerToken =
    /autoir_\S+/.exec(autoir(['token', 'create', '--role', 'viewer', '--name', 'viewer']))?.[0] ?? '';
  expect(viewerToken).not.toBe('');
  robotToken =
    /autoir_\S+/.exec(autoir(['token', 'create', '--role', 'responder', '--name', 'robot']))?.[0] ?? '';
  await startServer();
  browser = await launchChromium();
}

export async function teardownUi(): Promise<void> {
  await browser?.close();
  server?.kill('SIGTERM');
  if (base) rmSync(base, { recursive: true, force: true });
}
