import { describe, expect, it } from 'vitest';
import {
  actionStatuses,
  attemptEvent,
  isActionInFlight,
  newAction,
  nextActionStatus,
  transitionAction,
  undoOf,
  type ActionEvent,
  type ActionStatus,
} from './action.js';

const events: readonly ActionEvent['type'][] = [
  'approve',
  'reject',
  'expire',
  'enqueue',
  'start',
  'succeed',
  'fail',
  'timeOut',
  'retry',
  'awaitResource',
  'cancel',
  'undo',
];

/** Every legal transition of the action state machine (docs/response.md), written out by hand. */
const legal: Readonly<Record<string, ActionStatus>> = {
  'pendingApproval approve': 'approved',
  'pendingApproval reject': 'rejected',
  'pendingApproval expire': 'expired',
  'pendingApproval cancel': 'cancelled',
  'approved enqueue': 'queued',
  'approved cancel': 'cancelled',
  'queued start': 'running',
  'queued cancel': 'cancelled',
  'running succeed': 'succeeded',
  'running fail': 'failed',
  'running timeOut': 'timedOut',
  'running retry': 'queued',
  'running cancel': 'cancelled',
  'running awaitResource': 'pendingResource',
  'pendingResource retry': 'queued',
  'pendingResource fail': 'failed',
  'pendingResource cancel': 'cancelled',
  'succeeded undo': 'undone',
};

describe('action state machine', () => {
  const cases = actionStatuses.flatMap((status) => events.map((event) => ({ status, event })));

  it.each(cases.filter(({ status, event }) => `${status} ${event}` in legal))(
    'allows $status → $event',
    ({ status, event }) => {
      expect(transitionAction(status, { type: event } as ActionEvent)).toBe(legal[`${status} ${event}`]);
    },
  );

  it.each(cases.filter(({ status, event }) => !(`${status} ${event}` in legal)))(
    'refuses $status → $event',
    ({ status, event }) => {
      expect(nextActionStatus(status, { type: event } as ActionEvent)).toBeUndefined();
      expect(() => transitionAction(status, { type: event } as ActionEvent)).toThrow(/cannot/);
    },
  );

  it('counts only undecided and unfinished actions as in flight', () => {
    expect(actionStatuses.filter(isActionInFlight)).toEqual([
      'pendingApproval',
      'approved',
      'queued',
      'running',
      'pendingResource',
    ]);
  });

  it('undoes isolation by release and quarantine by restore', () => {
    expect(undoOf.isolateDevice).toBe('releaseDevice');
    expect(undoOf.quarantineFile).toBe('restoreFile');
    expect(undoOf.killProcess).toBeUndefined();
  });
});

describe('a new action', () => {
  const now = Date.UTC(2026, 0, 1);
  const asked = { requestedBy: 'investigation inv_1', reasons: ['malicious file', 'seen on 3 devices'] };

  it('is queued at once, due now and never expiring when policy approves it, its history saying who decided', () => {
    const start = newAction(
      {
        ...asked,
        decision: { outcome: 'approve', by: 'policy', rule: 'servers: full' },
        expiresAt: now + 1000,
      },
      now,
    );
    expect(start).toMatchObject({
      status: 'queued',
      decidedBy: 'policy',
      decidedAt: now,
      nextAttemptAt: now,
    });
    expect(start.expiresAt).toBeNull();
    expect(start.history).toEqual([
      { from: null, to: 'pendingApproval', by: 'investigation inv_1', message: 'malicious file' },
      { from: 'pendingApproval', to: 'approved', by: 'policy', message: 'servers: full' },
      { from: 'approved', to: 'queued', by: 'policy', message: null },
    ]);
  });

  it('waits for approval until it expires otherwise, noting the rule that held it', () => {
    const start = newAction(
      {
        ...asked,
        decision: { outcome: 'wait', by: 'policy', rule: 'workstations: semi' },
        expiresAt: now + 1000,
      },
      now,
    );
    expect(start).toMatchObject({
      status: 'pendingApproval',
      decidedBy: null,
      decidedAt: null,
      nextAttemptAt: null,
    });
    expect(start.expiresAt).toBe(now + 1000);
    expect(start.history.map((step) => [step.from, step.to, step.by, step.message])).toEqual([
      [null, 'pendingApproval', 'investigation inv_1', 'malicious file'],
      ['pendingApproval', 'pendingApproval', 'policy', 'workstations: semi'],
    ]);
    const unruled = newAction(
      { ...asked, reasons: [], decision: { outcome: 'wait', by: 'policy', rule: null }, expiresAt: null },
      now,
    );
    expect(unruled.history).toEqual([
      { from: null, to: 'pendingApproval', by: 'investigation inv_1', message: null },
    ]);
  });

  it('moves by what its attempt came to; an accepted attempt keeps it running', () => {
    expect(transitionAction('running', attemptEvent('succeeded')!)).toBe('succeeded');
    expect(transitionAction('running', attemptEvent('failed')!)).toBe('failed');
    expect(transitionAction('running', attemptEvent('timedOut')!)).toBe('timedOut');
    expect(transitionAction('running', attemptEvent('retry')!)).toBe('queued');
    expect(transitionAction('running', attemptEvent('pendingResource')!)).toBe('pendingResource');
    expect(attemptEvent('accepted')).toBeUndefined();
  });
});
