/**
 * Lessons (docs/investigations.md#analyst-feedback-and-lessons): an analyst who finds an evidence verdict wrong says why, and
 * may turn it into a lesson — an allow entry on what the evidence is (a file by its hash, a process by the file it
 * runs, an address, a domain, an account…), dated, with its reason and author. Later investigations judge the same
 * thing with the lesson as a finding of its own ("allowed by lesson ind_12, by user:alice, until …: reason"); lessons
 * are listed with the indicators (source `lesson`), audited, and removed to undo them.
 */
import { AutoirError } from './errors.js';
import type { Evidence } from './evidence.js';
import type { Indicator, IndicatorDraft } from './indicator.js';

export const LESSON_SOURCE = 'lesson';
/** A lesson lasts at most a year: what was benign then is looked at again. */
export const MAX_LESSON_MS = 365 * 24 * 60 * 60 * 1000;

/** The key a lesson about this evidence is kept under: a process's lesson is about the file it runs. */
export function lessonKey(evidence: Pick<Evidence, 'key' | 'type' | 'entity'>): string {
  const entity = evidence.entity as { imageKey?: unknown; sha256?: unknown };
  if (evidence.type === 'process' && typeof entity.imageKey === 'string') return entity.imageKey;
  if (evidence.type === 'file' && typeof entity.sha256 === 'string') return `file:sha256:${entity.sha256}`;
  return evidence.key;
}

export function lessonDraft(input: {
  readonly investigationId: string;
  readonly evidence: Pick<Evidence, 'key' | 'type' | 'entity'>;
  readonly reason: string;
  readonly forMs: number;
  readonly now: Date;
}): IndicatorDraft {
  if (!(input.forMs > 0) || input.forMs > MAX_LESSON_MS)
    throw new AutoirError('AUTOIR_E_BAD_INPUT', 'a lesson lasts from a minute to 365 days', {
      location: { field: 'lesson.for' },
    });
  const reason = input.reason.trim();
  return {
    entityKey: lessonKey(input.evidence),
    action: 'allow',
    title: reason.length > 200 ? `${reason.slice(0, 199)}…` : reason,
    description: reason,
    source: LESSON_SOURCE,
    sourceRef: `${input.investigationId}/${input.evidence.key}`,
    expiresAt: input.now.getTime() + input.forMs,
  };
}

/** How a finding names an indicator: a lesson by who taught it, until when and why. */
export function describeIndicator(indicator: Indicator): string {
  if (indicator.source === LESSON_SOURCE)
    return `lesson ${indicator.id}, by ${indicator.createdBy}${indicator.expiresAt ? `, until ${indicator.expiresAt.slice(0, 10)}` : ''}: ${indicator.title ?? ''}`;
  return `indicator ${indicator.id}${indicator.title ? `: ${indicator.title}` : ''}, from ${indicator.source}`;
}
