/**
 * The public security data the tests run on.
 *
 * - **In the repository** (always there): what the licences let us copy — OTRF's LSASS_campaign_01 (`demo/otrf`,
 *   the demo's own data) and three atomic datasets, SigmaHQ's regression data with the rules it needs
 *   (`test/fixtures/…`, each folder with its licence and a NOTICE saying where it came from).
 * - **The extended suite**: data whose licence forbids copying it here (real phishing e-mails under CC BY-NC), and
 *   the full SigmaHQ repository, read in place from `AUTOIR_SHARED_DATA` or `../shared/data`. Tests that need it
 *   are declared with `describeWithSharedData`: when the data set is absent they are skipped and say why; when it is
 *   present (CI always has it) they run, and a file missing from it fails them, saying where it looked.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** A path under the repository's own test fixtures. */
export function fixture(...parts: string[]): string {
  return path.join(root, 'test/fixtures', ...parts);
}

/** OTRF's LSASS_campaign_01 (Windows events and Zeek logs of one attacked host), shipped for the demo. */
export const lsassCampaign01 = path.join(root, 'demo/otrf/LSASS_campaign_01');

/** OTRF's atomic datasets (PsExec, Empire mimikatz and PsExec runs on theshire.local). */
export const otrfAtomic = fixture('otrf/atomic');

/** SigmaHQ's regression data and the rules it needs beyond autoir's shipped ones, laid out as SigmaHQ's repository. */
export const sigmaRegression = fixture('sigma');

/** autoir's shipped SigmaHQ rules. */
export const shippedSigmaRules = path.join(root, 'rules/sigma');

export function sharedDataDir(): string {
  return process.env.AUTOIR_SHARED_DATA ?? path.resolve(root, '../shared/data');
}

/** True when the shared data set is present: the extended suite runs. */
export function hasSharedData(): boolean {
  return existsSync(sharedDataDir());
}

/** A path under the shared data directory; throws with instructions when it is missing. */
export function sharedData(...parts: string[]): string {
  const file = path.join(sharedDataDir(), ...parts);
  if (!existsSync(file)) {
    throw new Error(
      `shared test data not found: ${file}. Put the shared data set beside the repository (../shared/data), or ` +
        'set AUTOIR_SHARED_DATA to its data directory.',
    );
  }
  return file;
}

/**
 * A suite of the extended set: it runs when the shared data set is present. When it is not, its body is not even
 * collected (it would look for files that are not there): one skipped test stands for it, saying why.
 */
export function describeWithSharedData(name: string, body: () => void): void {
  if (hasSharedData()) describe(name, body);
  else
    describe.skip(`${name} [extended suite]`, () => {
      it(`needs the shared data set (none at ${sharedDataDir()})`, () => undefined);
    });
}
