/**
 * The analyst UI's speed in a real browser (Debian's /usr/bin/chromium driven by playwright-core, as the e2e test
 * does) against the real server (`createServer`, in this process) over a store holding `incidents` incidents (one
 * alert each, stored and correlated — no investigations run) and one investigation with `evidence` pieces of
 * evidence (its steps written through the store's claim/commitStep with the engine's own judging and proposing:
 * findings → verdicts → proposed actions). Signed in through the sign-in form with a viewer API token, each of
 * `runs` rounds times, in the browser, from navigation start (or the click):
 *
 * - the incidents queue: `page.goto('/incidents')` until its first page (50 rows) is in the table and a frame drew;
 * - the investigation: `page.goto('/investigations/<id>')` (the Evidence tab) until all its evidence rows are;
 * - its graph: a click on the Graph tab until the canvas is in the page (cytoscape's layout runs before it is
 *   inserted) and a frame drew — by default only incriminated evidence and what touches it; then the same with
 *   "Show all" ticked (every piece of evidence, grid layout).
 *
 * Where the time goes comes with it: when the page's API request started (boot: HTML, script, session), how long
 * the server took to answer it (measured on the server socket), its size, and the rest (JSON, React, layout).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { drawnAt, launchChromium } from './browser.js';
import { createServer } from '../src/api/server.js';
import { defaultWebRoot } from '../src/api/static.js';
import { correlatePending } from '../src/correlate/correlator.js';
import type { Store } from '../src/store/ports.js';
import type { Severity, AlertInput } from '../src/domain/alert.js';
import { type Entity } from '../src/domain/entity.js';
import type { Finding, Evidence, Relation } from '../src/domain/evidence.js';
import { proposeActions } from '../src/investigate/proposals.js';
import { judgeEvidence } from '../src/investigate/verdicts.js';
import { packageVersion } from '../src/version.js';
import { createRandom, hex } from './generate.js';
import { openBenchStore } from './store.js';
import { HUNT_TARGET, seedHunting } from './ui-hunt.js';
import { parseAlertId, parseIncidentId } from '../src/domain/ids.js';
import { writeAlerts } from '../src/ingest/prepare-alert.js';
import {
  createDevice,
  createDomain,
  createFile,
  createIp,
  createProcess,
  createUser,
} from '../src/domain/entity-builders.js';
import { generateToken, hashToken } from '../src/app/tokens.js';

const TARGET_MS = 1000;
const PAGE_ROWS = 50;
const WORKER = 'bench-ui';

const TITLES = [
  'Suspicious PowerShell command line',
  'LSASS memory access by an unsigned process',
  'Connection to a known command-and-control address',
  'Possible ransomware file renames',
  'Scheduled task created from a user-writable folder',
  'Office application started a script interpreter',
  'Credential dumping tool detected',
  'Unusual sign-in followed by mailbox rule creation',
];
const SEVERITIES: readonly Severity[] = [
  'high',
  'medium',
  'medium',
  'low',
  'critical',
  'informational',
  'low',
];

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`bench ui: could not build ${what}`);
  return value;
}

const fqdn = (index: number) => `ws${String(index).padStart(5, '0')}.corp.example`;

/** Alert `index`: a device, a user and a file of its own, so that correlation makes it an incident of its own. */
function alertEntities(index: number, random: () => number): Entity[] {
  return [
    must(createDevice({ fqdn: fqdn(index) }), 'a device'),
    must(createUser({ name: `corp\\user${index}` }), 'a user'),
    must(
      createFile({
        sha256: hex(random, 64),
        path: `C:\\Users\\user${index}\\Downloads\\invoice_${index}.exe`,
      }),
      'a file',
    ),
  ];
}

const finding = (analyzer: string, weight: number, text: string): Finding => ({ analyzer, weight, text });

/**
 * The evidence of one large endpoint investigation, as its analyze step leaves it: `count` entities (devices,
 * users, processes with their image files, addresses and domains they reached), each with its analyzers' findings
 * and relations. A few processes, their files and the addresses they beacon to are bad; most is benign.
 */
function investigationEvidence(count: number, alert: readonly Entity[], random: () => number): Evidence[] {
  const deviceCount = Math.max(1, Math.round(count * 0.02));
  const userCount = Math.max(1, Math.round(count * 0.01));
  const domainCount = Math.max(1, Math.round(count * 0.05));
  const ipCount = Math.max(1, Math.round(count * 0.12));
  const processCount = Math.max(1, Math.floor((count - deviceCount - userCount - domainCount - ipCount) / 2));
  const fileCount = count - deviceCount - userCount - domainCount - ipCount - processCount;
  const [alertDevice, alertUser, alertFile] = alert as [Entity, Entity, Entity];

  const devices: Entity[] = [alertDevice];
  for (let i = 1; i < deviceCount; i++)
    devices.push(must(createDevice({ fqdn: fqdn(900_000 + i) }), 'a device'));
  const users: Entity[] = [alertUser];
  for (let i = 1; i < userCount; i++) users.push(must(createUser({ name: `corp\\analyst${i}` }), 'a user'));
  const ips: Entity[] = [];
  for (let i = 0; i < ipCount; i++)
    ips.push(
      must(
        createIp({ address: i < 2 ? `198.51.100.${i + 10}` : `52.${(i * 7) % 250}.${i % 250}.10` }),
        'an IP',
      ),
    );
  const domains: Entity[] = [];
  for (let i = 0; i < domainCount; i++)
    domains.push(
      must(createDomain({ name: i < 3 ? `upd${i}-cdn.example.net` : `svc${i}.example.com` }), 'a domain'),
    );
  const BAD_FILES = 4;
  const SUSPICIOUS_PROCESSES = 10;
  const files: Entity[] = [alertFile];
  for (let i = 1; i < fileCount; i++)
    files.push(
      must(
        createFile({
          sha256: hex(random, 64),
          path:
            i < BAD_FILES
              ? `C:\\Users\\user0\\AppData\\Local\\Temp\\upd${i}.exe`
              : `C:\\Program Files\\Vendor${i % 40}\\app${i}.exe`,
        }),
        'a file',
      ),
    );

  const rows = new Map<string, Evidence>();
  const add = (entity: Entity, findings: Finding[], relations: Relation[] = [], depth = 1) =>
    rows.set(entity.key, {
      key: entity.key,
      aliases: [],
      type: entity.type,
      entity,
      origin: depth === 0 ? 'alert' : 'related',
      depth,
      analyzed: true,
      verdict: 'unknown',
      score: 0,
      roles: [],
      remediationStatus: 'none',
      ownFindings: findings,
      findings: [],
      relations,
    });

  for (const [i, device] of devices.entries()) add(device, [], [], i === 0 ? 0 : 1);
  for (const [i, user] of users.entries()) add(user, [], [], i === 0 ? 0 : 1);
  for (const [i, file] of files.entries())
    add(
      file,
      i < BAD_FILES
        ? [
            finding('filePath', 25, 'in a user-writable folder: C:\\Users\\user0\\AppData\\Local\\Temp'),
            finding('prevalence', 30, `seen on 1 of 2,000 devices`),
            finding('signature', 20, 'not signed'),
          ]
        : [
            finding('signature', -20, `signed by Vendor${i % 40} Ltd`),
            finding('prevalence', -10, `seen on ${1200 + (i % 700)} of 2,000 devices`),
          ],
      [],
      i === 0 ? 0 : 1,
    );
  for (const [i, ip] of ips.entries())
    add(
      ip,
      i < 2
        ? [finding('network', 40, 'contacted by 1 of 2,000 devices'), finding('network', 35, 'port 4444')]
        : i % 2
          ? [finding('network', -10, 'a cloud provider address contacted by 1,500 devices')]
          : [],
    );
  for (const [i, domain] of domains.entries())
    add(
      domain,
      i < 3 ? [finding('domain', 30, 'registered 3 days ago')] : [finding('domain', -5, 'popular')],
    );

  const processes: Entity[] = [];
  for (let j = 0; j < processCount; j++) {
    const device = devices[j % deviceCount] as Entity & { fqdn?: string };
    const image = files[j % fileCount] as Entity & { path?: string };
    const user = users[j % userCount] as Entity;
    const process = must(
      createProcess({
        device: device.fqdn ?? device.key,
        guid: `${hex(random, 8)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 12)}`,
        pid: 1000 + j,
        imagePath: image.path ?? null,
        imageKey: image.key,
        userKey: user.key,
        commandLine: `"${image.path ?? 'app.exe'}" --task ${j}`,
        startedAt: new Date(Date.parse('2026-01-05T08:00:00Z') + j * 1000).toISOString(),
      }),
      'a process',
    );
    processes.push(process);
    const relations: Relation[] = [
      { kind: 'image', key: image.key },
      { kind: 'runsOn', key: device.key },
      { kind: 'ranAs', key: user.key },
    ];
    if (j < BAD_FILES) relations.push({ kind: 'connectedTo', key: (ips[j % 2] as Entity).key });
    else if (j % 3 === 0) relations.push({ kind: 'connectedTo', key: (ips[j % ipCount] as Entity).key });
    if (j % 8 === 0) relations.push({ kind: 'resolved', key: (domains[j % domainCount] as Entity).key });
    add(
      process,
      j < BAD_FILES
        ? [
            finding(
              'processLineage',
              25,
              `runs from a user-writable folder: C:\\Users\\user0\\AppData\\Local\\Temp`,
            ),
            finding('credentialAccess', 50, 'opened lsass.exe with read access (0x1010)'),
            finding('network', 25, 'beacons: 6 connections to 198.51.100.10:4444 at regular intervals'),
          ]
        : j < BAD_FILES + SUSPICIOUS_PROCESSES
          ? [finding('commandLine', 35, `obfuscated command line: "${image.path ?? ''}" -e JABzAD0A…`)]
          : [finding('processLineage', -10, 'started by services.exe, as on every device')],
      relations,
    );
  }
  // Parents: each process after the first round on a device was started by the one before it there.
  for (let j = deviceCount; j < processCount; j++) {
    const parent = rows.get((processes[j - deviceCount] as Entity).key) as Evidence;
    rows.set(parent.key, {
      ...parent,
      relations: [...parent.relations, { kind: 'child', key: (processes[j] as Entity).key }],
    });
  }
  return [...rows.values()];
}

/**
 * In the page, from document start: when the incidents table first holds a page, when the evidence table holds
 * every row, when the graph's canvas went in (after its layout) — each also one frame later (rAF, then a task:
 * the frame was produced) — and the time of the last click.
 */
function probeScript(pageRows: number, evidenceRows: number): string {
  return `(() => {
  const b = { marks: {}, clickAt: 0 };
  window.__autoirBench = b;
  const mark = (name) => {
    b.marks[name + 'Dom'] = performance.now();
    requestAnimationFrame(() => setTimeout(() => { b.marks[name] = performance.now(); }, 0));
  };
  const check = (records) => {
    if (b.marks.incidentsDom === undefined && location.pathname === '/incidents' &&
        document.querySelectorAll('table.grid tbody tr').length >= ${pageRows}) mark('incidents');
    if (b.marks.evidenceDom === undefined &&
        document.querySelectorAll('table.evidence tbody tr').length >= ${evidenceRows}) mark('evidence');
    if (b.marks.graphDom === undefined) {
      const graph = document.querySelector('[data-testid="investigation-graph"]');
      if (graph && graph.querySelector('canvas') &&
          records.some((r) => r.addedNodes.length > 0 && graph.contains(r.target))) mark('graph');
    }
  };
  document.addEventListener('click', (event) => { b.clickAt = event.timeStamp; }, true);
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
})();`;
}

interface Marks {
  readonly marks: Record<string, number>;
  readonly clickAt: number;
}

async function waitMark(page: Page, name: string): Promise<Marks> {
  // A function, not a string: the UI's Content-Security-Policy forbids eval.
  await page.waitForFunction(
    (mark) => (globalThis as { __autoirBench?: Marks }).__autoirBench?.marks[mark] !== undefined,
    name,
    { timeout: 60_000, polling: 20 },
  );
  return (await page.evaluate('window.__autoirBench')) as Marks;
}

/** The browser's resource timing of the last request whose URL contains `part`. */
async function resourceTiming(page: Page, part: string) {
  const entries = (await page.evaluate(
    `performance.getEntriesByType('resource').filter((e) => e.name.includes(${JSON.stringify(part)}))
      .map((e) => ({ startTime: e.startTime, responseStart: e.responseStart, responseEnd: e.responseEnd,
        size: e.encodedBodySize }))`,
  )) as { startTime: number; responseStart: number; responseEnd: number; size: number }[];
  const entry = entries[entries.length - 1];
  if (!entry) throw new Error(`bench ui: the page made no request to ${part}`);
  return entry;
}

/**
 * Seed `store`: `incidents` alerts through the store, correlated into incidents (one each, no investigation runs),
 * and one investigation of the latest incident with `evidence` pieces of evidence.
 */
export async function seedUiStore(
  store: Store,
  options: { incidents: number; evidence: number },
): Promise<{ investigationId: string; incidentsSeconds: number; investigationSeconds: number }> {
  const random = createRandom(11);
  // Seed: alerts through the store, correlated into incidents (one each); no investigation runs.
  const seedStarted = performance.now();
  const now = Date.now();
  let firstAlert: { id: string; entities: Entity[] } | undefined;
  for (let start = 0; start < options.incidents; start += 1000) {
    const inputs: AlertInput[] = [];
    for (let index = start; index < Math.min(options.incidents, start + 1000); index++) {
      const entities = alertEntities(index, random);
      inputs.push({
        draft: {
          source: 'bench-edr',
          sourceRef: `ui-${index}`,
          title: TITLES[index % TITLES.length] as string,
          severity: SEVERITIES[index % SEVERITIES.length] as Severity,
          mitreTechniques: ['T1059.001'],
          // Spread over the last week; alert 0 is the latest.
          createdAt: new Date(now - 60_000 - index * 60_000).toISOString(),
          entities,
        },
        format: 'autoir',
      });
      if (index === 0) firstAlert = { id: '', entities };
    }
    const written = await writeAlerts(store.alerts, inputs, new Date());
    if (start === 0 && firstAlert) firstAlert.id = (written[0] as { id: string }).id;
  }
  await correlatePending(store);
  const incidentsSeconds = (performance.now() - seedStarted) / 1000;

  // One large investigation of alert 0's incident: created with its evidence, then its steps committed as the
  // engine's analyze, decide, propose and conclude steps would (findings → judgeEvidence → proposeActions).
  const investigationStarted = performance.now();
  const alert = must(firstAlert, 'the first alert');
  const stored = must(await store.alerts.getAlert(alert.id), 'the first alert record');
  const incidentKey = must(parseIncidentId(stored.incidentId ?? ''), 'the incident id');
  const analyzed = investigationEvidence(options.evidence, alert.entities, random);
  const investigationId = await store.investigations.create(
    {
      incidentId: incidentKey,
      playbook: 'malware',
      trigger: { kind: 'alert', alertId: alert.id },
      status: 'queued',
      alertIds: [must(parseAlertId(alert.id), 'the alert key')],
      evidence: analyzed.map((row) => row.entity),
    },
    new Date(),
  );
  const claimed = must(await store.investigations.claim(WORKER, new Date(), 600_000, 1), 'a claim');
  if (claimed.id !== investigationId)
    throw new Error(`bench ui: claimed ${claimed.id}, not ${investigationId}`);
  const judged = judgeEvidence(analyzed);
  const proposals = proposeActions(judged);
  const steps = [
    { step: 'analyze', next: 'decide', result: `analyzed ${analyzed.length}`, evidence: analyzed },
    { step: 'decide', next: 'propose', result: 'judged', evidence: judged },
    {
      step: 'propose',
      next: 'conclude',
      result: `${proposals.length} actions proposed`,
      actions: proposals,
    },
  ];
  for (const step of steps) {
    const committed = await store.investigations.commitStep(
      claimed.key,
      WORKER,
      {
        ...step,
        startedAt: Date.now(),
        durationMs: 5,
        state: { rounds: 1 },
        release: false,
        leaseMs: 600_000,
      },
      new Date(),
    );
    if (!committed) throw new Error(`bench ui: step ${step.step} not committed`);
  }
  const incriminated = judged.filter((row) => row.verdict === 'malicious' || row.verdict === 'suspicious');
  await store.investigations.commitStep(
    claimed.key,
    WORKER,
    {
      step: 'conclude',
      startedAt: Date.now(),
      durationMs: 1,
      result: `${incriminated.length} incriminated of ${judged.length}; actions wait for approval`,
      next: 'done',
      event: { type: 'awaitApproval' },
      statusReason: 'actions wait for approval',
      state: { rounds: 1 },
      release: true,
    },
    new Date(),
  );
  const investigationSeconds = (performance.now() - investigationStarted) / 1000;
  return { investigationId, incidentsSeconds, investigationSeconds };
}

export async function benchUi(options: {
  backend: 'sqlite' | 'postgres';
  incidents: number;
  evidence: number;
  runs: number;
  /** Alerts beyond the incidents' (the dashboard's charts) and telemetry events (the event search). */
  alerts: number;
  events: number;
}): Promise<Record<string, unknown>> {
  const webRoot = defaultWebRoot();
  if (!existsSync(path.join(webRoot, 'index.html')))
    throw new Error(`bench ui: no built UI in ${webRoot}: run npm run build`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-bench-ui-'));
  const bench = await openBenchStore(options.backend, dir);
  const { store } = bench;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  let browser: Browser | undefined;
  let app: ReturnType<typeof createServer> | undefined;
  try {
    const seeded = await seedUiStore(store, options);
    const hunting = await seedHunting(store, options);
    const { investigationId, incidentsSeconds, investigationSeconds } = seeded;
    const incidentCount = (await store.incidents.countIncidents({ statuses: ['active'] })).total;
    const detail = must(await store.investigations.get(investigationId), 'the investigation');

    // The real server, a viewer token, Chromium.
    const token = generateToken();
    await store.tokens.createToken(
      { name: 'bench-ui', role: 'viewer', tokenHash: hashToken(token) },
      new Date(),
    );
    app = createServer({ store, version: packageVersion() });
    const serverTimes: { url: string; ms: number }[] = [];
    // The server's own time per request: from its arrival to the response handed to the socket (end()).
    app.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const started = performance.now();
      const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
      response.end = ((...args: unknown[]) => {
        serverTimes.push({ url: request.url ?? '', ms: performance.now() - started });
        return end(...args);
      }) as typeof response.end;
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const serverMs = (part: string) => {
      const found = serverTimes.filter((entry) => entry.url.includes(part));
      return found.length ? (found[found.length - 1] as { ms: number }).ms : Number.NaN;
    };

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(probeScript(Math.min(PAGE_ROWS, incidentCount), detail.evidence.length));
    await page.goto(url);
    await page.getByLabel('an API token').check();
    await page.getByLabel('API token', { exact: true }).fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    const runs: Record<string, number>[] = [];
    const incidentsPart = '/api/v1/incidents?';
    const investigationPart = `/api/v1/investigations/${investigationId}`;
    for (let run = 0; run < options.runs; run++) {
      const figures: Record<string, number> = {};
      // (a) The incidents queue.
      serverTimes.length = 0;
      await page.goto(`${url}/incidents`, { waitUntil: 'commit' });
      let marks = await waitMark(page, 'incidents');
      let request = await resourceTiming(page, incidentsPart);
      figures.incidents_first_page_ms = marks.marks.incidents as number;
      figures.incidents_api_start_ms = request.startTime;
      figures.incidents_api_ms = request.responseEnd - request.startTime;
      figures.incidents_server_ms = serverMs(incidentsPart);
      figures.incidents_render_ms = (marks.marks.incidents as number) - request.responseEnd;
      figures.incidents_api_kb = request.size / 1024;
      const rows = await page.locator('table.grid tbody tr').count();
      if (rows !== Math.min(PAGE_ROWS, incidentCount)) throw new Error(`bench ui: ${rows} incident rows`);

      // (b) The investigation, on its Evidence tab.
      serverTimes.length = 0;
      await page.goto(`${url}/investigations/${investigationId}`, { waitUntil: 'commit' });
      marks = await waitMark(page, 'evidence');
      request = await resourceTiming(page, investigationPart);
      figures.investigation_first_page_ms = marks.marks.evidence as number;
      figures.investigation_api_start_ms = request.startTime;
      figures.investigation_api_ms = request.responseEnd - request.startTime;
      figures.investigation_server_ms = serverMs(investigationPart);
      figures.investigation_render_ms = (marks.marks.evidence as number) - request.responseEnd;
      figures.investigation_api_kb = request.size / 1024;
      const evidenceRows = await page.locator('table.evidence tbody tr').count();
      if (evidenceRows !== detail.evidence.length) throw new Error(`bench ui: ${evidenceRows} evidence rows`);

      // (c) Its graph: the default view (incriminated evidence and what touches it), then every piece.
      await page.getByRole('tab', { name: 'Graph' }).click();
      marks = await waitMark(page, 'graph');
      figures.investigation_graph_ms = (marks.marks.graph as number) - marks.clickAt;
      await page.evaluate(
        'delete window.__autoirBench.marks.graph; delete window.__autoirBench.marks.graphDom',
      );
      await page.getByLabel(/^Show all/).check();
      marks = await waitMark(page, 'graph');
      figures.investigation_graph_all_ms = (marks.marks.graph as number) - marks.clickAt;

      // (d) The dashboard with its charts over every alert: until the four canvases are drawn.
      serverTimes.length = 0;
      await page.goto(`${url}/`, { waitUntil: 'commit' });
      figures.dashboard_charts_ms = await drawnAt(page, 'canvas[role="img"]', 4);
      figures.dashboard_charts_server_ms = serverMs('/api/v1/dashboard/charts');

      // (e) Hunting: the events naming one address among all the telemetry, until they are in the table.
      serverTimes.length = 0;
      await page.goto(`${url}/events?ip=${HUNT_TARGET}`, { waitUntil: 'commit' });
      const wanted = Math.min(100, hunting.targetEvents);
      figures.event_search_ms = await drawnAt(page, 'table[aria-label="Events"] tbody tr', wanted);
      figures.event_search_server_ms = serverMs('/api/v1/events?');
      runs.push(figures);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    await context.close();

    const summary: Record<string, unknown> = {};
    for (const name of Object.keys(runs[0] ?? {})) {
      const values = runs.map((figures) => figures[name] as number);
      summary[name] = round(median(values));
      if (/_(first_page|graph|graph_all|charts|search)_ms$/.test(name))
        summary[name.replace(/_ms$/, '_max_ms')] = round(Math.max(...values));
    }
    const verdicts: Record<string, number> = {};
    for (const row of detail.evidence) verdicts[row.verdict] = (verdicts[row.verdict] ?? 0) + 1;
    return {
      bench: 'ui',
      backend: options.backend,
      incidents: incidentCount,
      evidence: detail.evidence.length,
      evidence_malicious: verdicts.malicious ?? 0,
      evidence_suspicious: verdicts.suspicious ?? 0,
      proposed_actions: detail.actions.length,
      runs: options.runs,
      seed_s: round(incidentsSeconds + investigationSeconds, 2),
      seed_incidents_s: round(incidentsSeconds, 2),
      seed_investigation_s: round(investigationSeconds, 2),
      alerts: await store.alerts.countAlerts(),
      events: await store.events.countEvents(),
      event_search_hits: hunting.targetEvents,
      seed_alerts_s: round(hunting.alertsSeconds, 2),
      seed_events_s: round(hunting.eventsSeconds, 2),
      ...summary,
      target_ms: TARGET_MS,
      peak_rss_mb: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 1048576),
    };
  } finally {
    clearInterval(sampler);
    await browser?.close();
    await app?.close();
    await bench.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
