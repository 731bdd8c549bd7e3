/**
 * Detection settings from the environment and the command line:
 * - `AUTOIR_RULES` — extra rule files or directories, separated like PATH (`:` on Linux and macOS);
 * - `AUTOIR_RULE_STATUSES` — statuses that run (comma-separated; default stable,test,experimental);
 * - `AUTOIR_RULE_MIN_LEVEL` — lowest level that runs (default low);
 * - `AUTOIR_BUNDLED_RULES=0` — leave out the SigmaHQ rules shipped with autoir.
 */
import path from 'node:path';
import { AutoirError } from '../domain/errors.js';
import type { DetectionConfig } from './detector.js';
import { sigmaLevels, sigmaStatuses, type SigmaLevel, type SigmaStatus } from './sigma.js';

export function detectionConfigFrom(
  env: Readonly<Record<string, string | undefined>>,
  options: { rules?: readonly string[]; statuses?: string; minLevel?: string; bundled?: boolean } = {},
): DetectionConfig {
  const dirs = [
    ...(env.AUTOIR_RULES ?? '').split(path.delimiter).filter((item) => item.trim() !== ''),
    ...(options.rules ?? []),
  ];
  const statusText = options.statuses ?? env.AUTOIR_RULE_STATUSES;
  const statuses = statusText
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  for (const status of statuses ?? [])
    if (!(sigmaStatuses as readonly string[]).includes(status))
      throw new AutoirError(
        'AUTOIR_E_BAD_USAGE',
        `unknown rule status ${status} (one of ${sigmaStatuses.join(', ')})`,
      );
  const minLevel = options.minLevel ?? env.AUTOIR_RULE_MIN_LEVEL;
  if (minLevel !== undefined && !(sigmaLevels as readonly string[]).includes(minLevel))
    throw new AutoirError(
      'AUTOIR_E_BAD_USAGE',
      `unknown rule level ${minLevel} (one of ${sigmaLevels.join(', ')})`,
    );
  return {
    ...(dirs.length > 0 ? { ruleDirs: dirs.map((dir) => path.resolve(dir)) } : {}),
    ...(options.bundled === false || env.AUTOIR_BUNDLED_RULES === '0' ? { bundled: false } : {}),
    ...(statuses ? { statuses: statuses as SigmaStatus[] } : {}),
    ...(minLevel ? { minLevel: minLevel as SigmaLevel } : {}),
  };
}
