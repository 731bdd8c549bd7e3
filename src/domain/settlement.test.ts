import { describe, expect, it } from 'vitest';
import { settleInvestigation } from './settlement.js';

const waiting = (status: 'pendingApproval' | 'pendingResource', state = {}) => ({
  status,
  state,
  updatedAt: 100,
});
const link = (evidenceKey: string, status: string) => ({ evidenceKey, status });

describe('settling an investigation after its actions change', () => {
  it('gives each piece of evidence its remediation status from its actions', () => {
    const { remediation } = settleInvestigation(
      waiting('pendingApproval'),
      [
        link('file:a', 'succeeded'),
        link('file:a', 'failed'),
        link('device:b', 'pendingApproval'),
        link('user:c', 'rejected'),
      ],
      200,
    );
    expect(Object.fromEntries(remediation)).toEqual({
      'file:a': 'partiallyRemediated',
      'device:b': 'pendingApproval',
      'user:c': 'declined',
    });
  });

  it('resumes a waiting investigation at its conclude step once every action is decided and finished', () => {
    const settled = settleInvestigation(
      waiting('pendingApproval', { rounds: 2, waiting: { as: 'pendingApproval', since: 50 } }),
      [link('file:a', 'succeeded'), link('device:b', 'rejected')],
      200,
    );
    expect(settled.change).toEqual({
      kind: 'resume',
      status: 'running',
      step: 'conclude',
      state: { rounds: 2, waiting: { as: 'pendingApproval', since: 50 } },
    });
  });

  it('keeps waiting, for a person before an unreachable target, saying how many actions wait', () => {
    expect(
      settleInvestigation(
        waiting('pendingApproval'),
        [link('a', 'pendingResource'), link('b', 'running')],
        200,
      ).change,
    ).toEqual({
      kind: 'wait',
      statusReason: 'actions waiting: 1 pendingResource, 1 running',
      status: 'pendingResource',
      state: { waiting: { as: 'pendingResource', since: 200 } },
    });
    expect(
      settleInvestigation(
        waiting('pendingResource'),
        [link('a', 'pendingResource'), link('b', 'proposed')],
        200,
      ).change,
    ).toMatchObject({ kind: 'wait', status: 'pendingApproval' });
    expect(
      settleInvestigation(waiting('pendingApproval'), [link('a', 'pendingApproval')], 200).change,
    ).toEqual({
      kind: 'wait',
      statusReason: 'actions waiting: 1 pendingApproval',
    });
  });

  it('leaves an investigation alone while a scope expansion waits, or when it is not waiting', () => {
    const expansion = { pendingExpansions: [{ entityKey: 'file:x', assets: ['device:a'], reason: 'r' }] };
    expect(
      settleInvestigation(waiting('pendingApproval', expansion), [link('a', 'succeeded')], 200).change,
    ).toBe(undefined);
    expect(
      settleInvestigation({ status: 'running', state: {}, updatedAt: 0 }, [link('a', 'succeeded')], 200)
        .change,
    ).toBe(undefined);
  });
});
