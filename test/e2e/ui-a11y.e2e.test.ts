/**
 * Accessibility of every page of the analyst UI, in Chromium on LSASS_campaign_01 (test/e2e/ui-harness.ts): axe-core
 * (WCAG 2.1 A and AA, and its best practices) finds no serious or critical violation, in the light and the dark
 * theme; and the keyboard alone reaches the navigation, the content and the controls of a page, and opens a tab.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, browser, setupUi, signIn, teardownUi, url } from './ui-harness.js';

beforeAll(setupUi, 180_000);
afterAll(teardownUi);

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** The serious and critical violations axe-core finds on the page as it is now, one line each. */
async function violations(page: Page): Promise<string[]> {
  // The app's CSP forbids inline scripts: this context bypasses it (bypassCSP) for axe-core's source only.
  await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(options: object): Promise<{ violations: Violation[] }> } }
    ).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations;
  });
  return found
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes
        .slice(0, 3)
        .map(
          (node) =>
            `${violation.id} at ${node.target.join(' ')}: ${(node.failureSummary ?? violation.help).split('\n').slice(1).join(' ').trim()}`,
        ),
    );
}

/** In the page: what has the focus, its text, and whether it shows a focus ring. */
interface Focused {
  readonly text: string;
  readonly inMain: boolean;
  readonly ring: boolean;
}
const focusedElement = (page: Page): Promise<Focused | null> =>
  page.evaluate(() => {
    interface Node {
      textContent: string | null;
      closest(selector: string): unknown;
    }
    const view = globalThis as unknown as {
      document: { activeElement: Node | null };
      getComputedStyle(element: Node): { outlineStyle: string; boxShadow: string };
    };
    const element = view.document.activeElement;
    if (!element) return null;
    const style = view.getComputedStyle(element);
    return {
      text: element.textContent?.trim() ?? '',
      inMain: element.closest('main') !== null,
      ring: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
    };
  });

const themeOf = (page: Page) =>
  page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { dataset: Record<string, string> } } })
        .document.documentElement.dataset.theme,
  );

const PAGES: { path: string; ready: (page: Page) => Promise<unknown> }[] = [
  { path: '/', ready: (page) => page.locator('canvas[role="img"]').nth(3).waitFor() },
  { path: '/incidents', ready: (page) => page.getByRole('row').nth(1).waitFor() },
  { path: '/incidents/inc_1', ready: (page) => page.locator('ul.joined li').first().waitFor() },
  {
    path: '/investigations/inv_1?tab=graph',
    ready: (page) => page.getByTestId('investigation-graph').locator('canvas').first().waitFor(),
  },
  {
    path: '/investigations/inv_1?tab=evidence',
    ready: (page) => page.locator('table.evidence tr').nth(1).waitFor(),
  },
  { path: '/investigations/inv_1?tab=log', ready: (page) => page.getByRole('tabpanel').waitFor() },
  { path: '/actions', ready: (page) => page.locator('tr[data-action]').first().waitFor() },
  { path: '/actions?tab=history', ready: (page) => page.getByRole('tabpanel').waitFor() },
  { path: '/alerts', ready: (page) => page.locator('tr[data-alert], tbody tr').first().waitFor() },
  { path: '/events?ip=10.0.5.13', ready: (page) => page.locator('tbody tr').first().waitFor() },
  {
    path: `/devices/${encodeURIComponent('device:mkt01.pandalab.com')}`,
    ready: (page) => page.locator('ul.tree').first().waitFor(),
  },
  { path: '/rules', ready: (page) => page.locator('tbody tr').first().waitFor() },
  ...['groups', 'indicators', 'connectors', 'agents', 'inputs', 'access'].map((tab) => ({
    path: `/settings?tab=${tab}`,
    ready: (page: Page) => page.getByRole('tabpanel').waitFor(),
  })),
];

describe('accessibility of the analyst UI', () => {
  it('has no serious or critical axe-core violation on the sign-in page', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await violations(page)).toEqual([]);
    await context.close();
  });

  for (const theme of ['light', 'dark'] as const)
    it(`has no serious or critical axe-core violation on any page, in the ${theme} theme`, async () => {
      const context = await browser!.newContext({
        viewport: { width: 1280, height: 800 },
        bypassCSP: true,
        colorScheme: theme,
      });
      const page = await context.newPage();
      await signIn(page, { username: 'ada', password: PASSWORD });
      const found: Record<string, string[]> = {};
      for (const { path, ready } of PAGES) {
        await page.goto(`${url}${path}`);
        await ready(page);
        if (theme === 'dark' && (await themeOf(page)) !== 'dark')
          await page.getByRole('button', { name: /theme/i }).click();
        const list = await violations(page);
        if (list.length > 0) found[path] = list;
      }
      expect(found).toEqual({});
      await context.close();
    }, 120_000);

  it('is used by keyboard alone: skip link, navigation, a tab opened with the arrow keys', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, { username: 'alice', password: PASSWORD });
    await page.goto(`${url}/investigations/inv_1?tab=evidence`);
    await page.locator('table.evidence tr').nth(1).waitFor();
    // The first Tab reaches the skip link; following it puts the focus in the content.
    await page.keyboard.press('Tab');
    expect((await focusedElement(page))?.text).toMatch(/skip/i);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect((await focusedElement(page))?.inMain).toBe(true);
    // The tabs: focus the selected one, the arrow opens the next.
    await page.getByRole('tab', { name: 'Evidence' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => page.getByRole('tab', { name: 'Log' }).getAttribute('aria-selected'))
      .toBe('true');
    // Every link of the navigation is reached by Tab, in order, with a visible focus ring.
    await page.goto(`${url}/`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const reached: string[] = [];
    for (let press = 0; press < 12; press += 1) {
      await page.keyboard.press('Tab');
      const focused = await focusedElement(page);
      if (focused?.text) reached.push(focused.text);
      if (focused?.text === 'Rules') expect(focused.ring).toBe(true);
    }
    expect(reached).toEqual(
      expect.arrayContaining(['Dashboard', 'Incidents', 'Alerts', 'Action center', 'Events', 'Rules']),
    );
    await context.close();
  });
});
