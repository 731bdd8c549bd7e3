/**
 * Investigation settings from the environment:
 * - `AUTOIR_PLAYBOOKS` — more playbook files or directories, separated like PATH (same id replaces a shipped one);
 * - `AUTOIR_MAX_INVESTIGATIONS` — investigations run at once across all workers (default 10; the rest queue);
 * - `AUTOIR_INVESTIGATION_MAX_ENTITIES` / `_MAX_ACTIONS` / `_MAX_RUN` — caps that end one terminatedBySystem
 *   (default 500 entities, 100 actions, 10m);
 * - `AUTOIR_EXPANSION_APPROVAL` — a scope expansion adding this many devices or more waits for approval (default 10);
 * - `AUTOIR_ANALYZE_BATCH` — evidence analyzed per step, i.e. per transaction (default 100): smaller steps lose
 *   less work when a process dies and hold the store's write lock for less time.
 */
import path from 'node:path';
import { durationMs } from '../domain/duration.js';
import { AutoirError } from '../domain/errors.js';
import { positiveSetting } from '../domain/settings.js';
import type { EngineLimits } from './engine.js';
import { loadPlaybooks, type PlaybookSet } from './playbooks.js';

const positive = positiveSetting;

export interface InvestigationConfig {
  readonly playbooks: PlaybookSet;
  readonly limits: Partial<EngineLimits>;
  readonly maxRunning?: number;
}

export function investigationConfigFrom(
  env: Readonly<Record<string, string | undefined>>,
): InvestigationConfig {
  const dirs = (env.AUTOIR_PLAYBOOKS ?? '').split(path.delimiter).filter((item) => item.trim() !== '');
  const runText = env.AUTOIR_INVESTIGATION_MAX_RUN;
  const maxRunMs = runText ? durationMs(runText) : undefined;
  if (runText && maxRunMs === undefined)
    throw new AutoirError(
      'AUTOIR_E_BAD_USAGE',
      `AUTOIR_INVESTIGATION_MAX_RUN: expected a duration like 10m, got ${runText}`,
    );
  const maxEntities = positive('AUTOIR_INVESTIGATION_MAX_ENTITIES', env.AUTOIR_INVESTIGATION_MAX_ENTITIES);
  const maxActions = positive('AUTOIR_INVESTIGATION_MAX_ACTIONS', env.AUTOIR_INVESTIGATION_MAX_ACTIONS);
  const threshold = positive('AUTOIR_EXPANSION_APPROVAL', env.AUTOIR_EXPANSION_APPROVAL);
  const maxRunning = positive('AUTOIR_MAX_INVESTIGATIONS', env.AUTOIR_MAX_INVESTIGATIONS);
  const analyzeBatch = positive('AUTOIR_ANALYZE_BATCH', env.AUTOIR_ANALYZE_BATCH);
  return {
    playbooks: loadPlaybooks(dirs),
    limits: {
      ...(maxEntities !== undefined ? { maxEntities } : {}),
      ...(maxActions !== undefined ? { maxActions } : {}),
      ...(maxRunMs !== undefined ? { maxRunMs } : {}),
      ...(threshold !== undefined ? { expansionApprovalThreshold: threshold } : {}),
      ...(analyzeBatch !== undefined ? { analyzeBatch } : {}),
    },
    ...(maxRunning !== undefined ? { maxRunning } : {}),
  };
}
