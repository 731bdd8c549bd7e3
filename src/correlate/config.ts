/**
 * Correlation settings from the environment:
 * - `AUTOIR_CORRELATION_WINDOW` — alerts this close join (`24h`, `90m`, `2d`, `1w`; default 24h);
 * - `AUTOIR_CORRELATION_MAX_DEVICES` / `AUTOIR_CORRELATION_MAX_ALERTS` — prevalence thresholds (default 5 / 1000);
 * - `AUTOIR_INFRASTRUCTURE` — entity keys of the organisation's DNS servers, domain controllers… (comma-separated);
 * - `AUTOIR_WARNINGLISTS` — more MISP warninglist files, separated like PATH.
 */
import path from 'node:path';
import { durationMs } from '../domain/duration.js';
import { normalizeEntityKey } from '../domain/entity.js';
import { AutoirError } from '../domain/errors.js';
import { positiveSetting } from '../domain/settings.js';
import type { CorrelationOptions } from './correlate.js';
import { defaultAllowlist } from './correlator.js';

const positive = positiveSetting;

export function correlationConfigFrom(env: Readonly<Record<string, string | undefined>>): CorrelationOptions {
  const windowText = env.AUTOIR_CORRELATION_WINDOW;
  let windowMs: number | undefined;
  if (windowText) {
    windowMs = durationMs(windowText);
    if (windowMs === undefined)
      throw new AutoirError(
        'AUTOIR_E_BAD_USAGE',
        `AUTOIR_CORRELATION_WINDOW: expected a duration like 24h, got ${windowText}`,
      );
  }
  const maxDevices = positive('AUTOIR_CORRELATION_MAX_DEVICES', env.AUTOIR_CORRELATION_MAX_DEVICES);
  const maxAlerts = positive('AUTOIR_CORRELATION_MAX_ALERTS', env.AUTOIR_CORRELATION_MAX_ALERTS);
  const infrastructure = (env.AUTOIR_INFRASTRUCTURE ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean)
    .map(normalizeEntityKey);
  const lists = (env.AUTOIR_WARNINGLISTS ?? '').split(path.delimiter).filter((item) => item.trim() !== '');
  return {
    ...(windowMs !== undefined ? { windowMs } : {}),
    ...(maxDevices !== undefined ? { maxDevices } : {}),
    ...(maxAlerts !== undefined ? { maxAlerts } : {}),
    ...(infrastructure.length > 0 ? { infrastructure: new Set(infrastructure) } : {}),
    allowlist: defaultAllowlist(lists),
  };
}
