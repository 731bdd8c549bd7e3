import { describe, expect, it } from 'vitest';
import { isAutoirError } from './errors.js';
import {
  investigationStatuses,
  isTerminalInvestigationStatus,
  nextInvestigationStatus,
  transitionInvestigation,
  type InvestigationEvent,
  type InvestigationStatus,
} from './investigation.js';

const events: readonly InvestigationEvent[] = [
  { type: 'start' },
  { type: 'markUnsupported' },
  { type: 'awaitApproval' },
  { type: 'awaitResource' },
  { type: 'resume' },
  { type: 'conclude', outcome: 'remediated' },
  { type: 'conclude', outcome: 'partiallyRemediated' },
  { type: 'conclude', outcome: 'noThreatsFound' },
  { type: 'conclude', outcome: 'benign' },
  { type: 'conclude', outcome: 'partiallyInvestigated' },
  { type: 'fail', reason: 'connector crashed' },
  { type: 'cancel' },
  { type: 'terminate', reason: 'too many entities' },
];

function label(event: InvestigationEvent): string {
  return event.type === 'conclude' ? `conclude(${event.outcome})` : event.type;
}

/** Every legal transition, written out by hand from docs/investigations.md. Everything not listed is illegal. */
const legal: Readonly<Record<string, InvestigationStatus>> = {
  'queued start': 'running',
  'queued markUnsupported': 'unsupportedAlertType',
  'queued cancel': 'terminatedByUser',
  'queued terminate': 'terminatedBySystem',
  'running awaitApproval': 'pendingApproval',
  'running awaitResource': 'pendingResource',
  'running conclude(remediated)': 'remediated',
  'running conclude(partiallyRemediated)': 'partiallyRemediated',
  'running conclude(noThreatsFound)': 'noThreatsFound',
  'running conclude(benign)': 'benign',
  'running conclude(partiallyInvestigated)': 'partiallyInvestigated',
  'running fail': 'failed',
  'running cancel': 'terminatedByUser',
  'running terminate': 'terminatedBySystem',
  'pendingApproval awaitResource': 'pendingResource',
  'pendingApproval resume': 'running',
  'pendingApproval fail': 'failed',
  'pendingApproval cancel': 'terminatedByUser',
  'pendingApproval terminate': 'terminatedBySystem',
  'pendingResource awaitApproval': 'pendingApproval',
  'pendingResource resume': 'running',
  'pendingResource fail': 'failed',
  'pendingResource cancel': 'terminatedByUser',
  'pendingResource terminate': 'terminatedBySystem',
};

describe('investigation state machine', () => {
  const cases = investigationStatuses.flatMap((status) => events.map((event) => ({ status, event })));

  it.each(cases.filter(({ status, event }) => `${status} ${label(event)}` in legal))(
    'allows $status → $event.type',
    ({ status, event }) => {
      expect(transitionInvestigation(status, event)).toBe(legal[`${status} ${label(event)}`]);
    },
  );

  it.each(cases.filter(({ status, event }) => !(`${status} ${label(event)}` in legal)))(
    'refuses $status → $event.type',
    ({ status, event }) => {
      expect(nextInvestigationStatus(status, event)).toBeUndefined();
      let thrown: unknown;
      try {
        transitionInvestigation(status, event);
      } catch (error) {
        thrown = error;
      }
      expect(isAutoirError(thrown) && thrown.code).toBe('AUTOIR_E_ILLEGAL_TRANSITION');
    },
  );

  it('has no way out of a terminal status', () => {
    const terminal = investigationStatuses.filter(isTerminalInvestigationStatus);
    expect(terminal).toHaveLength(9);
    for (const status of terminal)
      for (const event of events) expect(nextInvestigationStatus(status, event)).toBeUndefined();
  });

  it('lists exactly the legal transitions the table names', () => {
    const allowed = cases.filter(({ status, event }) => nextInvestigationStatus(status, event) !== undefined);
    expect(allowed.map(({ status, event }) => `${status} ${label(event)}`).sort()).toEqual(
      Object.keys(legal).sort(),
    );
  });
});
