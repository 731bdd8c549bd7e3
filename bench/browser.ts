/**
 * Debian's Chromium for the browser tests and the ui bench: `/usr/bin/chromium` (or `AUTOIR_CHROMIUM`), headless,
 * never a downloaded browser.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const chromiumPath = process.env.AUTOIR_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath))
    throw new Error(
      `no browser at ${chromiumPath}: install Debian's chromium (apt-get install -y chromium) or set AUTOIR_CHROMIUM`,
    );
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export /**
 * `performance.now()` in the page (from its navigation start; never 0) once `count` elements match `selector` and a frame
 * has drawn.
 */
async function drawnAt(page: Page, selector: string, count: number): Promise<number> {
  const handle = await page.waitForFunction(
    (wanted: { selector: string; count: number }) => {
      const scope = globalThis as unknown as {
        document: { querySelectorAll(selector: string): { length: number } };
        requestAnimationFrame(callback: () => void): void;
      };
      if (scope.document.querySelectorAll(wanted.selector).length !== wanted.count) return 0;
      return new Promise<number>((resolve) => scope.requestAnimationFrame(() => resolve(performance.now())));
    },
    { selector, count },
    { timeout: 60_000, polling: 'raf' },
  );
  return Number(await handle.jsonValue());
}
