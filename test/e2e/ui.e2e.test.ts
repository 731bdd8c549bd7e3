/**
 * The analyst UI in a real browser (Debian's /usr/bin/chromium driven by playwright-core) against a real
 * `autoir serve` loaded with OTRF LSASS_campaign_01 (test/e2e/ui-harness.ts): sign in, open the MKT01 incident, see
 * the payload malicious with its findings, read the graph's story, approve a pending action by keyboard and see it
 * succeed in History, undo it; a viewer sees no approve button and the API refuses the approval anyway; the alerts,
 * device, rules, dashboard, events, agents, inputs and connector pages. Screenshots go to test-results/screenshots
 * (or AUTOIR_SCREENSHOTS, which `npm run screenshots` points at docs/screenshots).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PASSWORD,
  autoir,
  base,
  bin,
  browser,
  drawnGraph,
  recorder,
  robotToken,
  setupUi,
  shot,
  signIn,
  teardownUi,
  url,
  viewerToken,
} from './ui-harness.js';

beforeAll(setupUi, 180_000);
afterAll(teardownUi);

describe('analyst UI in Chromium on LSASS_campaign_01', () => {
  it('takes a responder from sign-in to an approved, succeeded and undone action', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, { username: 'alice', password: PASSWORD });
    await expect.poll(() => page.getByText('Open incidents').isVisible()).toBe(true);

    await page.getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    const incidentLink = page.getByRole('row').filter({ hasText: 'mkt01' }).getByRole('link').first();
    await incidentLink.waitFor();
    // The title leads with what matters: the credential theft, not the cleared event log.
    expect(await incidentLink.textContent()).toMatch(
      /^'LSASS Opened By A Program In A User-Writable Folder' and 45 other alerts on mkt01/,
    );
    await shot(page, 'incidents');
    await incidentLink.click();
    await page.getByRole('heading', { name: 'Why these alerts are one incident' }).waitFor();
    // The links through the device read as one line with a count, not one line each.
    const throughDevice = page.locator('ul.joined > li[data-entity="device:mkt01.pandalab.com"]');
    await expect
      .poll(() => throughDevice.textContent())
      .toMatch(/^MKT01 \(device\) joined \d+ alerts in \d+ links/);
    const links = Number(/in (\d+) links/.exec((await throughDevice.textContent()) ?? '')?.[1]);
    expect(links).toBeGreaterThan(10);
    expect(await page.locator('ul.joined > li').count()).toBeLessThan(links);
    // The timeline: alerts as they happened (runs of one alert folded), the investigation, its actions proposed.
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await expect.poll(() => timeline.locator('li[data-kind="action"]').count()).toBeGreaterThan(0);
    expect(await timeline.locator('li[data-kind="investigation"]').first().textContent()).toMatch(
      /inv_1 started/,
    );
    expect(await timeline.locator('li[data-kind="alert"]').count()).toBeLessThan(46);
    expect(await timeline.locator('li[data-kind="alert"]').filter({ hasText: '×' }).count()).toBeGreaterThan(
      0,
    );
    const times = await timeline
      .locator('time')
      .evaluateAll((nodes) =>
        nodes.map((node) => Date.parse((node as unknown as { dateTime: string }).dateTime)),
      );
    expect(times).toEqual([...times].sort((a, b) => a - b));
    await shot(page, 'incident');

    await page.getByRole('link', { name: 'inv_1' }).first().click();
    await page.getByRole('tab', { name: 'Evidence' }).waitFor();
    const payload = page.getByRole('row').filter({ hasText: 'winx64_payload.exe' }).first();
    await payload.waitFor();
    await expect.poll(async () => (await payload.locator('[data-value="malicious"]').count()) > 0).toBe(true);
    expect(await payload.locator('ul.findings li').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('thresholds').textContent()).toMatch(
      /score ≥ 70 malicious, ≥ 30 suspicious/,
    );
    await shot(page, 'evidence');

    await page.getByRole('tab', { name: 'Graph' }).click();
    const graph = page.getByTestId('investigation-graph');
    await graph.locator('canvas').first().waitFor();
    const story = await drawnGraph(page);
    // The story at a glance: at most ~40 nodes, the payload on the path from its alert, what it opened (lsass)
    // and where it called (10.0.5.13) beside it, no label over another.
    expect(story.nodes.length).toBeLessThanOrEqual(40);
    expect(Number(await graph.getAttribute('data-nodes'))).toBe(story.nodes.length);
    const named = (pattern: RegExp) =>
      story.nodes.find((node) => pattern.test(node.label.replace(/\n/g, ' ')));
    const payloadNode = named(/^winx64_payload\.exe \(pid 1988\) on MKT01/);
    const lsass = named(/^lsass\.exe \(pid 628\)/);
    const c2 = named(/^10\.0\.5\.13/);
    expect(payloadNode?.classes).toContain('path');
    expect(c2?.classes).toContain('path');
    expect(lsass).toBeDefined();
    const edge = (from: string | undefined, to: string | undefined) =>
      story.edges.find((candidate) => candidate.source === from && candidate.target === to);
    expect(edge(payloadNode?.id, lsass?.id)).toMatchObject({ label: 'accessed' });
    expect(edge(payloadNode?.id, c2?.id)).toMatchObject({ label: 'connectedTo', classes: ['path'] });
    expect(story.overlaps).toEqual([]);
    expect(story.nodes.filter((node) => node.kind === 'group').length).toBeGreaterThan(0);
    // The graph and its legend fill the screenshot.
    const header = (await page.locator('header').first().boundingBox())?.height ?? 0;
    const top = (await page.locator('.story').boundingBox())!.y;
    await page.evaluate(
      (y) => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, y),
      top - header - 8,
    );
    await shot(page, 'investigation-graph');
    // A click on the largest group opens it: its members take its place.
    const group = story.nodes.filter((node) => node.kind === 'group').sort((a, b) => b.count - a.count)[0]!;
    const box = (await graph.boundingBox())!;
    await page.mouse.click(box.x + group.rendered.x, box.y + group.rendered.y);
    await expect
      .poll(async () => (await drawnGraph(page)).nodes.some((node) => node.id === group.id))
      .toBe(false);
    expect((await drawnGraph(page)).nodes.length).toBeGreaterThanOrEqual(
      story.nodes.length + group.count - 1,
    );
    await page.getByRole('button', { name: 'Group again' }).click();
    await expect.poll(async () => (await drawnGraph(page)).nodes.length).toBe(story.nodes.length);

    await page.getByRole('link', { name: 'Action center' }).click();
    await page.getByRole('heading', { name: 'Action center' }).waitFor();
    const isolate = page.locator('tr[data-type="isolateDevice"]').first();
    await isolate.waitFor();
    const actionId = (await isolate.getAttribute('data-action')) as string;
    await shot(page, 'action-center');
    // Grouped by investigation, with what its actions would remediate; targets by name, the key on hover.
    const head = page.locator('tbody[data-investigation="inv_1"] tr.group-head');
    expect(await head.textContent()).toMatch(/inv_1 · \d+ actions · on \d+ malicious/);
    const kill = page
      .locator('tbody[data-investigation="inv_1"] tr[data-type="killProcess"]')
      .filter({ hasText: 'winx64_payload.exe (pid 1988) on MKT01' });
    expect(await kill.count()).toBe(1);
    expect(await kill.locator('td[title^="process:mkt01.pandalab.com:"]').count()).toBe(1);
    // Choose the whole investigation at once, then none again.
    const inGroup = await page.locator('tbody[data-investigation="inv_1"] tr[data-action]').count();
    const all = page.getByRole('checkbox', { name: `Choose all ${inGroup} actions of inv_1` });
    await all.check();
    await expect.poll(() => page.getByRole('button', { name: `Approve ${inGroup}` }).isEnabled()).toBe(true);
    await all.uncheck();
    await expect.poll(() => page.getByRole('button', { name: /^Approve/ }).isDisabled()).toBe(true);
    // By keyboard: the row focused, x chooses it, a approves the chosen.
    await page.getByLabel('Comment').fill('confirmed by the UI test');
    await isolate.locator('td').nth(1).click();
    await page.keyboard.press('x');
    await expect.poll(() => isolate.getByRole('checkbox').isChecked()).toBe(true);
    await page.keyboard.press('a');
    await expect.poll(() => page.locator(`tr[data-action="${actionId}"]`).count()).toBe(0);

    await page.getByRole('tab', { name: 'History' }).click();
    const row = page.locator(`tr[data-action="${actionId}"]`);
    // The worker in `autoir serve` runs it; server-sent events refresh the page.
    await expect.poll(() => row.locator('[data-value="succeeded"]').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => row.getByText('user:alice').count()).toBe(1);
    await shot(page, 'action-center-history');
    const sent = recorder.requests<{ id: string }>();
    expect(sent.map((request) => request.id)).toContain(actionId);

    await row.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => row.locator('[data-value="undone"]').count(), { timeout: 30_000 }).toBe(1);
    const release = page.locator('tr[data-type="releaseDevice"]').first();
    await expect.poll(() => release.locator('[data-value="succeeded"]').count(), { timeout: 30_000 }).toBe(1);
    await context.close();
  });

  it('shows a viewer no approve button, and the API refuses the approval anyway', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, { token: viewerToken });
    // Live updates: a decision made elsewhere shows on the dashboard without a reload.
    const pendingCount = () => page.getByTestId('pending-count').textContent();
    await expect.poll(pendingCount).toMatch(/^\d+$/);
    const before = Number(await pendingCount());
    const listed = (await (
      await fetch(`${url}/api/v1/actions?status=pendingApproval&limit=1`, {
        headers: { authorization: `Bearer ${robotToken}` },
      })
    ).json()) as { items: { id: string }[] };
    const rejected = await fetch(`${url}/api/v1/actions/reject`, {
      method: 'POST',
      headers: { authorization: `Bearer ${robotToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [listed.items[0]?.id], comment: 'live update check' }),
    });
    expect(rejected.status).toBe(200);
    await expect.poll(pendingCount, { timeout: 15_000 }).toBe(String(before - 1));

    await page.getByRole('link', { name: 'Action center' }).click();
    const pending = page.locator('tr[data-type]').first();
    await pending.waitFor();
    const actionId = (await pending.getAttribute('data-action')) as string;
    expect(await page.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    const session = (await (await page.request.get(`${url}/api/v1/session`)).json()) as { csrfToken: string };
    const refused = await page.request.post(`${url}/api/v1/actions/approve`, {
      data: { ids: [actionId] },
      headers: { 'x-csrf-token': session.csrfToken },
    });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('AUTOIR_E_FORBIDDEN');
    await context.close();
  });
  it('lists the alerts with readable entities, searches their titles, and resolves a page of them at once', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, { username: 'alice', password: PASSWORD });
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    const rows = page.getByRole('table', { name: 'Alerts' }).locator('tbody tr');
    await rows.first().waitFor();
    // Entities by name, not key: the device is MKT01 (its key on hover).
    expect(
      await page.getByRole('table', { name: 'Alerts' }).getByText('MKT01', { exact: true }).count(),
    ).toBeGreaterThan(0);
    await shot(page, 'alerts');

    const search = page.getByLabel('Search titles');
    await search.fill('lsass');
    await search.press('Enter');
    await expect.poll(() => page.url()).toContain('q=lsass');
    await expect
      .poll(async () => (await rows.allInnerTexts()).every((text) => /lsass/i.test(text)))
      .toBe(true);
    const found = await rows.count();
    expect(found).toBeGreaterThan(0);
    await page.getByLabel('Choose every alert on this page').check();
    await expect.poll(() => page.getByText(`${found} chosen`).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Mark resolved' }).click();
    await expect.poll(() => page.getByText('0 chosen').isVisible()).toBe(true);
    await page.getByRole('combobox', { name: /^Status/ }).selectOption('resolved');
    await expect.poll(() => page.url()).toContain('status=resolved');
    await expect.poll(() => rows.count()).toBe(found);
    for (const text of await rows.allInnerTexts()) expect(text).toContain('analyst:alice');
    // The API agrees: resolved by alice, and the same alerts.
    const listed = (await (
      await fetch(`${url}/api/v1/alerts?status=resolved&q=lsass&limit=500`, {
        headers: { authorization: `Bearer ${viewerToken}` },
      })
    ).json()) as { items: { statusSetBy?: string }[] };
    expect(listed.items).toHaveLength(found);
    expect(new Set(listed.items.map((alert) => alert.statusSetBy))).toEqual(new Set(['analyst:alice']));
    await context.close();
  });

  it('opens a device: its timeline of alerts, investigations and actions, and its process tree with the alerted processes', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, { username: 'ada', password: PASSWORD });
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page
      .getByRole('table', { name: 'Alerts' })
      .getByRole('link', { name: 'MKT01', exact: true })
      .first()
      .click();
    await page.getByRole('heading', { name: 'MKT01', exact: true }).waitFor();
    expect(decodeURIComponent(new URL(page.url()).pathname)).toBe('/devices/device:mkt01.pandalab.com');
    const timeline = page.getByRole('table', { name: 'Timeline' });
    await timeline.locator('tbody tr').first().waitFor();
    for (const kind of ['alert', 'investigation', 'action'])
      await expect.poll(() => timeline.locator(`tr[data-kind="${kind}"]`).count()).toBeGreaterThan(0);
    await timeline.locator('tr[data-kind="investigation"]').getByRole('link').first().waitFor();
    const tree = page.getByRole('list', { name: 'Process tree' });
    await tree.waitFor();
    // The payload started from the user's session, and what it started below it; an alert named it.
    const payload = tree.locator(
      'li[data-process="process:mkt01.pandalab.com:81056205-5686-64dc-3b04-000000000800"]',
    );
    await payload.waitFor();
    expect(await payload.locator('> span').first().textContent()).toMatch(
      /^winx64_payload\.exe \(pid 1988\)\s*alerted/,
    );
    const started = await payload.locator('li > span:first-child').allTextContents();
    expect(started.map((text) => text.replace(/ \(pid \d+\)|alerted$/g, '').trim())).toEqual(
      expect.arrayContaining(['cmd.exe', 'systeminfo.exe', 'whoami.exe', 'tasklist.exe']),
    );
    // Each process once (by program, pid and time), though Sysmon and the Security log (4688) both reported most.
    const rows = await tree.locator('li').evaluateAll((items) =>
      items.map((item) => {
        const spans = (item as unknown as { children: ArrayLike<{ textContent: string | null }> }).children;
        return `${spans[0]?.textContent ?? ''} ${spans[1]?.textContent ?? ''}`;
      }),
    );
    expect(rows.length).toBeGreaterThan(100);
    expect(new Set(rows).size).toBe(rows.length);
    await payload.scrollIntoViewIfNeeded();
    await shot(page, 'device');
    await context.close();
  });

  it('lists the rules that run, noisiest first, and lets an admin switch one off with a reason and on again', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, { username: 'ada', password: PASSWORD });
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('heading', { name: 'Detection rules' }).waitFor();
    const rows = page.getByRole('table', { name: 'Rules' }).locator('tbody tr');
    await rows.first().waitFor();
    await expect.poll(() => page.getByText(/^\d+ of \d{4} rules · 0 switched off$/).isVisible()).toBe(true);
    const noisiest = rows.first();
    const rule = (await noisiest.getAttribute('data-rule')) as string;
    const alerts = Number(await noisiest.locator('td').nth(3).textContent());
    expect(alerts).toBeGreaterThan(0);
    await shot(page, 'rules');
    page.once('dialog', (dialog) => void dialog.accept('noisy on the lab'));
    await noisiest.getByRole('button', { name: 'Switch off' }).click();
    const row = page.locator(`tr[data-rule="${rule}"]`);
    await expect.poll(() => row.textContent()).toMatch(/offby user:ada, .*: noisy on the lab/);
    await page.getByRole('combobox', { name: /^Switched/ }).selectOption('false');
    await expect.poll(() => rows.count()).toBe(1);
    await row.getByRole('button', { name: 'Switch on' }).click();
    await expect.poll(() => rows.count()).toBe(0);
    await context.close();
  });

  it('draws the dashboard charts from the API: alerts over time, outcomes, decisions, time to verdict', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, { token: viewerToken });
    const charts = (await (
      await fetch(`${url}/api/v1/dashboard/charts`, { headers: { authorization: `Bearer ${viewerToken}` } })
    ).json()) as {
      alerts: { bySeverity: Record<string, number> }[];
      investigations: Record<string, number>;
      actionsByDecision: Record<string, number>;
      timeToVerdictMs: { count: number };
    };
    const alerts = charts.alerts.reduce(
      (sum, bucket) => sum + Object.values(bucket.bySeverity).reduce((a, b) => a + b, 0),
      0,
    );
    expect(alerts).toBeGreaterThan(10);
    expect(Object.keys(charts.investigations).length).toBeGreaterThan(0);
    expect(Object.values(charts.actionsByDecision).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(charts.timeToVerdictMs.count).toBeGreaterThan(0);
    // Four charts on canvas, each naming what it shows.
    const canvases = page.locator('canvas[role="img"]');
    await expect.poll(() => canvases.count()).toBe(4);
    const labels = await canvases.evaluateAll((nodes) =>
      nodes.map((node) => node.getAttribute('aria-label')),
    );
    expect(labels[0]).toMatch(/^Alerts over time by severity: \d+ \w+/);
    expect(labels[1]).toMatch(/^Investigations by outcome: \d+ /);
    expect(labels[2]).toMatch(/^Actions by decision: \d+ /);
    expect(labels[3]).toMatch(/^Time from alert to verdict: median \d/);
    // Drawn: the alerts chart has coloured pixels.
    const drawn = await canvases.first().evaluate((node) => {
      const canvas = node as unknown as {
        width: number;
        height: number;
        getContext(kind: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
        };
      };
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let index = 0; index < pixels.length; index += 4)
        if ((pixels[index + 3] as number) > 0 && pixels[index] !== pixels[index + 2]) coloured++;
      return coloured;
    });
    expect(drawn).toBeGreaterThan(100);
    await shot(page, 'dashboard');
    // Another range: the figures are asked again for it (the demo's alerts are from 2023: none in the last day).
    await page.getByRole('combobox', { name: /^Charts over/ }).selectOption('24h');
    await expect
      .poll(() => canvases.first().getAttribute('aria-label'))
      .toBe('Alerts over time by severity: none');
    await context.close();
  });

  it('hunts in the telemetry: the C2 address finds the payload’s connections, a row opens the record as it arrived', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, { token: viewerToken });
    await page.getByRole('link', { name: 'Events' }).click();
    await page.getByRole('heading', { name: 'Event search' }).waitFor();
    await page.getByLabel('IP address').fill('10.0.5.13');
    await page.getByLabel('Kind').fill('networkConnection');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.url()).toContain('ip=10.0.5.13');
    const rows = page.getByRole('table', { name: 'Events' }).locator('tbody tr');
    await rows.first().waitFor();
    const texts = await rows.allInnerTexts();
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) expect(text).toMatch(/networkConnection[\s\S]*10\.0\.5\.13/);
    expect(texts.some((text) => text.includes('winx64_payload.exe'))).toBe(true);
    // The terms are in the URL: a reload (or a shared link) gives the same search.
    await page.reload();
    await rows.first().waitFor();
    expect(await rows.count()).toBe(texts.length);
    await rows.first().getByRole('button').click();
    const raw = page.getByLabel('Record as it arrived');
    await raw.waitFor();
    // The newest is Zeek's conn record of the campaign, as it arrived.
    expect(await raw.textContent()).toContain('10.0.5.13');
    await shot(page, 'events');
    // A term that is not what it names: the API's own message.
    await page.getByLabel('IP address').fill('10.0.5');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('ip: 10.0.5 is not an IP address');
    await context.close();
  });

  it('shows an admin the hosts’ agents: an enrollment token made in the UI enrolls a real agent, online, then revoked', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, { username: 'ada', password: PASSWORD });
    await page.goto(`${url}/settings?tab=agents`);
    await page.getByText('No agent enrolled yet').waitFor();
    await page.getByRole('button', { name: 'Create enrollment token' }).click();
    const token = await page.getByRole('status').locator('code').first().textContent();
    expect(token).toMatch(/^autoir_enroll_/);
    const state = mkdtempSync(path.join(base, 'agent-'));
    const agent = spawn(
      process.execPath,
      [bin, 'agent', '--server', url, '--enroll', token as string, '--state', state],
      {
        stdio: 'ignore',
      },
    );
    try {
      const row = page.getByRole('table', { name: 'Agents' }).locator('tbody tr').first();
      await expect
        .poll(
          async () => {
            await page.reload();
            return row.locator('[data-value="online"]').count();
          },
          { timeout: 30_000 },
        )
        .toBe(1);
      expect(await row.textContent()).toContain(`device:${os.hostname().toLowerCase()}`);
      await shot(page, 'agents');
      await row.getByRole('button', { name: 'Revoke' }).click();
      await expect.poll(() => row.locator('[data-value="revoked"]').count(), { timeout: 10_000 }).toBe(1);
    } finally {
      agent.kill('SIGTERM');
    }
    await context.close();
  });
  it('lists the configured inputs with their state', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, { username: 'ada', password: PASSWORD });
    await page.goto(`${url}/settings?tab=inputs`);
    const row = page.getByTestId('input-suricata-eve');
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return row.textContent();
        },
        { timeout: 20_000 },
      )
      .toMatch(/suricata-eve.*file.*running.*eve\.json/);
    await shot(page, 'inputs');
    await context.close();
  });
  it('checks a connector from the settings (the answer says what is wrong), puts a group in shadow and back, and shows the precision of proposed actions', async () => {
    const file = path.join(base, 'closed-connector.yaml');
    writeFileSync(
      file,
      'connectors:\n  - name: closed-edr\n    kind: webhook\n    settings:\n      url: https://edr.invalid/hook\n      secret: a-long-enough-secret-1\n',
    );
    autoir(['connectors', 'add', '--file', file]);
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, { username: 'ada', password: PASSWORD });
    await page.goto(`${url}/settings?tab=connectors`);
    const cell = page.getByTestId('check-closed-edr');
    await cell.getByRole('button', { name: 'Test' }).click();
    await expect
      .poll(() => cell.textContent(), { timeout: 20_000 })
      .toMatch(/not ok.*reachable no.*edr\.invalid/);

    // The same admin puts a group in shadow, takes it out again, and reads the precision of proposed actions.
    await page.goto(`${url}/settings?tab=groups`);
    const shadowOf = () =>
      (
        JSON.parse(autoir(['groups', 'list', '--kind', 'user', '--json'])) as {
          name: string;
          shadow: unknown;
        }[]
      ).find((group) => group.name === 'Default')?.shadow ?? null;
    const select = page.getByLabel('Shadow level of user group Default');
    await select.selectOption('full');
    await expect.poll(shadowOf, { timeout: 10_000 }).toEqual({ level: 'full' });
    await select.selectOption('');
    await expect.poll(shadowOf, { timeout: 10_000 }).toBeNull();
    // Below the groups, what became of the investigation's proposed actions.
    await expect
      .poll(() => page.getByRole('table', { name: 'Precision by action type' }).textContent(), {
        timeout: 10_000,
      })
      .toMatch(/quarantineFile · device Default/);
    expect(await page.getByRole('table', { name: 'Precision by playbook' }).textContent()).toMatch(/\d/);
    await context.close();
  });
});
