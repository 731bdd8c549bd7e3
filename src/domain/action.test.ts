import { describe, expect, it } from 'vitest';
import {
  actionStatuses,
  isActionInFlight,
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
