import { describe, expect, it } from 'vitest';
import { levelSuggestions, precisionRows, proposalOutcome, SUGGESTION_MIN_APPROVED } from './precision.js';

describe('measured precision', () => {
  it('reads what became of an action: run by policy, approved, rejected, undone, expired, pending', () => {
    expect(proposalOutcome('succeeded', true, false)).toBe('automatic');
    expect(proposalOutcome('failed', false, false)).toBe('approved');
    expect(proposalOutcome('succeeded', true, true)).toBe('undone');
    expect(proposalOutcome('undone', false, false)).toBe('undone');
    expect(proposalOutcome('cancelled', false, false)).toBe('rejected');
    expect(proposalOutcome('expired', false, false)).toBe('expired');
    expect(proposalOutcome('pendingApproval', false, false)).toBe('pending');
  });

  it('folds counts per key, keeps of those decided, the most decided first', () => {
    const rows = precisionRows([
      { key: 'credentialTheft', status: 'succeeded', byPolicy: true, undone: false, count: 6 },
      { key: 'credentialTheft', status: 'succeeded', byPolicy: false, undone: false, count: 2 },
      { key: 'credentialTheft', status: 'succeeded', byPolicy: true, undone: true, count: 1 },
      { key: 'credentialTheft', status: 'rejected', byPolicy: false, undone: false, count: 1 },
      { key: 'credentialTheft', status: 'pendingApproval', byPolicy: false, undone: false, count: 5 },
      { key: 'phishing', status: 'expired', byPolicy: false, undone: false, count: 3 },
      { key: 'malware', status: 'succeeded', byPolicy: false, undone: false, count: 1 },
    ]);
    expect(rows.map((row) => row.key)).toEqual(['credentialTheft', 'malware', 'phishing']);
    expect(rows[0]).toEqual({
      key: 'credentialTheft',
      automatic: 6,
      approved: 2,
      rejected: 1,
      undone: 1,
      expired: 0,
      pending: 5,
      precision: 0.8,
    });
    expect(rows[1]?.precision).toBe(1);
    expect(rows[2]?.precision).toBeNull();
  });

  it('suggests full only where analysts approved every action a level made wait, enough of them, and says how to try it', () => {
    const key = (kind: string, name: string, type: string) => JSON.stringify([kind, name, type]);
    const row = (k: string, approved: number, rejected = 0, undone = 0) => ({
      key: k,
      automatic: 0,
      approved,
      rejected,
      undone,
      expired: 0,
      pending: 0,
      precision: 1,
    });
    const groups = [
      { kind: 'device', name: 'Workstations', level: 'semiAll' },
      { kind: 'device', name: 'Servers', level: 'full' },
    ];
    const suggestions = levelSuggestions(
      [
        row(key('device', 'Workstations', 'quarantineFile'), 120),
        row(key('device', 'Workstations', 'isolateDevice'), 40, 1),
        row(key('device', 'Workstations', 'killProcess'), 40, 0, 1),
        row(key('device', 'Workstations', 'removePersistence'), SUGGESTION_MIN_APPROVED - 1),
        row(key('device', 'Servers', 'quarantineFile'), 500),
        row(key('device', 'Gone', 'quarantineFile'), 500),
      ],
      groups,
      30,
    );
    expect(suggestions).toEqual([
      {
        group: { kind: 'device', name: 'Workstations' },
        type: 'quarantineFile',
        level: 'semiAll',
        suggested: 'full',
        text: 'quarantineFile in device group Workstations: 120 approved, 0 rejected, 0 undone in 30 days — its level (semiAll) could be full; try it in shadow first (autoir groups set device Workstations --shadow full --shadow-actions quarantineFile)',
      },
    ]);
  });
});
