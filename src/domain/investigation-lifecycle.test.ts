import { describe, expect, it } from 'vitest';
import {
  afterAlertsJoined,
  afterClaim,
  afterStep,
  cancellation,
  expansionsApproved,
} from './investigation-lifecycle.js';

describe('an investigation between its steps', () => {
  it('re-evaluates when alerts join: a waiting one resumes and queues again, a finished one stays finished', () => {
    expect(afterAlertsJoined('pendingApproval', { rounds: 1 }, 500)).toEqual({
      status: 'running',
      step: 'collect',
      state: { rounds: 1, waiting: { as: 'pendingApproval', since: 500 } },
      requeue: true,
    });
    expect(afterAlertsJoined('running', { waiting: { as: 'queued', since: 1 } }, 500)).toEqual({
      status: 'running',
      step: 'collect',
      state: { waiting: { as: 'queued', since: 1 } },
      requeue: false,
    });
    expect(afterAlertsJoined('remediated', {}, 500)).toBeUndefined();
  });

  it('starts a queued investigation when claimed, keeping the time it first started', () => {
    expect(afterClaim({ status: 'queued', state: {}, startedAt: null, queuedAt: 40 }, 100)).toEqual({
      status: 'running',
      startedAt: 100,
      state: { waiting: { as: 'queued', since: 40 } },
    });
    expect(afterClaim({ status: 'queued', state: {}, startedAt: 7, queuedAt: 40 }, 100)?.startedAt).toBe(7);
    expect(afterClaim({ status: 'running', state: {}, startedAt: 7, queuedAt: 40 }, 100)).toBeUndefined();
  });

  it('logs how long a step waited and as what, renews or releases the claim, and remembers what it waits for', () => {
    const step = { state: { waiting: { as: 'queued', since: 100 } }, startedAt: 160, release: false };
    expect(afterStep('running', step, 200)).toEqual({
      status: 'running',
      ended: false,
      state: {},
      waitedMs: 60,
      waitedAs: 'queued',
      claim: { leaseUntil: 60_200 },
    });
    const waits = afterStep('running', { ...step, event: { type: 'awaitApproval' }, release: true }, 200);
    expect(waits).toMatchObject({ status: 'pendingApproval', claim: 'release' });
    expect(waits.state).toEqual({ waiting: { as: 'pendingApproval', since: 200 } });
    expect(
      afterStep(
        'running',
        { state: {}, startedAt: 1, release: false, event: { type: 'conclude', outcome: 'noThreatsFound' } },
        2,
      ),
    ).toMatchObject({ status: 'noThreatsFound', ended: true, claim: 'release', waitedMs: 0, waitedAs: null });
  });

  it('approves waiting scope expansions, and only those', () => {
    const state = {
      pendingExpansions: [
        { entityKey: 'file:sha256:aa', assets: ['device:a'], reason: 'seen on 12 devices' },
      ],
      approvedExpansions: ['ip:1.2.3.4'],
      waiting: { as: 'pendingApproval', since: 10 },
    };
    expect(expansionsApproved('inv_1', 'pendingApproval', state, 99)).toEqual({
      status: 'running',
      step: 'expand',
      approved: ['ip:1.2.3.4', 'file:sha256:aa'],
      state: {
        pendingExpansions: [],
        approvedExpansions: ['ip:1.2.3.4', 'file:sha256:aa'],
        waiting: { as: 'pendingApproval', since: 10 },
      },
    });
    expect(() => expansionsApproved('inv_1', 'running', state, 99)).toThrow(/no scope expansion waiting/);
    expect(cancellation('user:kim', 'false positive')).toBe('cancelled by user:kim: false positive');
  });
});
