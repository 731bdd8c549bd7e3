/**
 * The public security data the project tests against (../shared/data, SOURCES.md), read in place: some of it may
 * not be copied into the repository. `AUTOIR_SHARED_DATA` points elsewhere. A test that needs it and cannot find
 * it fails, saying where it looked.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export function sharedDataDir(): string {
  return process.env.AUTOIR_SHARED_DATA ?? path.resolve(root, '../shared/data');
}

/** A path under the shared data directory; throws with instructions when it is missing. */
export function sharedData(...parts: string[]): string {
  const file = path.join(sharedDataDir(), ...parts);
  if (!existsSync(file)) {
    throw new Error(
      `shared test data not found: ${file}. Put the shared data set (see ../shared/data/SOURCES.md) beside the ` +
        'repository, or set AUTOIR_SHARED_DATA to its data directory.',
    );
  }
  return file;
}
