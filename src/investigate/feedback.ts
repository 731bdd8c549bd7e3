/**
 * Analyst feedback on an evidence verdict (domain/lesson.ts): recorded in the audit log with its reason, and — when
 * the analyst asks for one — a dated lesson, in one transaction. For the API and the CLI alike.
 */
import { AutoirError } from '../domain/errors.js';
import type { Indicator } from '../domain/indicator.js';
import { lessonDraft } from '../domain/lesson.js';
import type { InvestigationDetail } from '../domain/investigation.js';
import type { IndicatorDraft } from '../domain/indicator.js';

export interface FeedbackPorts {
  readonly investigations: {
    get(id: string): Promise<InvestigationDetail | undefined>;
    addIndicators(drafts: readonly IndicatorDraft[], by: string, now: Date): Promise<Indicator[]>;
  };
  readonly audit: {
    record(
      entry: { actor: string; operation: string; target: string; after: unknown },
      now: Date,
    ): Promise<void>;
  };
  transaction<T>(work: (store: FeedbackPorts) => Promise<T>): Promise<T>;
}

export interface Feedback {
  readonly investigationId: string;
  readonly evidenceKey: string;
  readonly verdict: 'wrong';
  readonly reason: string;
  /** A lesson for this long (ms), or none. */
  readonly lessonForMs?: number;
}

export async function giveFeedback(
  store: FeedbackPorts,
  feedback: Feedback,
  by: string,
  now: Date,
): Promise<{ investigationId: string; evidenceKey: string; lesson: Indicator | null }> {
  const found = await store.investigations.get(feedback.investigationId);
  if (!found) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no investigation ${feedback.investigationId}`);
  const evidence = found.evidence.find((row) => row.key === feedback.evidenceKey);
  if (!evidence)
    throw new AutoirError(
      'AUTOIR_E_NOT_FOUND',
      `no evidence ${feedback.evidenceKey} in ${feedback.investigationId}`,
    );
  const draft =
    feedback.lessonForMs === undefined
      ? undefined
      : lessonDraft({
          investigationId: feedback.investigationId,
          evidence,
          reason: feedback.reason,
          forMs: feedback.lessonForMs,
          now,
        });
  return store.transaction(async (tx) => {
    const [lesson] = draft ? await tx.investigations.addIndicators([draft], by, now) : [];
    await tx.audit.record(
      {
        actor: by,
        operation: 'evidence.feedback',
        target: `investigation:${feedback.investigationId}`,
        after: {
          evidenceKey: evidence.key,
          verdict: feedback.verdict,
          was: evidence.verdict,
          reason: feedback.reason,
          lesson: lesson?.id ?? null,
        },
      },
      now,
    );
    return { investigationId: feedback.investigationId, evidenceKey: evidence.key, lesson: lesson ?? null };
  });
}
