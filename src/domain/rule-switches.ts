/**
 * Detection rules switched off by people (a noisy rule, a rule that does not fit the estate), kept in the store so
 * that every process — server, workers, `autoir ingest` — leaves them out: their matches make no alert. A switched-
 * off rule still loads (it is listed, with its switch, and can be switched on again).
 */

/** The settings key under which the switched-off rules are kept: `{ [ruleId]: SwitchedOff }`. */
export const DISABLED_RULES_SETTING = 'detection.disabledRules';

export interface SwitchedOff {
  /** Who switched it off (`user:<name>`, `token:<name>`, `cli:<user>`). */
  readonly by: string;
  /** When (ISO 8601). */
  readonly at: string;
  readonly reason?: string;
}

/** The switched-off rules of a stored setting; what is not well formed is ignored. */
export function switchedOffOf(value: unknown): ReadonlyMap<string, SwitchedOff> {
  const switched = new Map<string, SwitchedOff>();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return switched;
  for (const [id, entry] of Object.entries(value as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { by, at, reason } = entry as Record<string, unknown>;
    if (typeof by !== 'string' || typeof at !== 'string') continue;
    switched.set(id, { by, at, ...(typeof reason === 'string' ? { reason } : {}) });
  }
  return switched;
}

/** The rule an alert of the Sigma detector came from (`detector: sigma:<rule id>`). */
export function ruleOfDetector(detector: string | undefined): string | undefined {
  return detector?.startsWith('sigma:') ? detector.slice('sigma:'.length) : undefined;
}
