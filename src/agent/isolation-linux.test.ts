import { describe, expect, it } from 'vitest';
import { allowedEntry, isolationRuleset } from './isolation-linux.js';

describe('the isolation ruleset', () => {
  it('takes only addresses and CIDR ranges', () => {
    expect(allowedEntry('10.77.0.1')).toBe('10.77.0.1');
    expect(allowedEntry('10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(allowedEntry('fd00::/64')).toBe('fd00::/64');
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.1; flush ruleset', '1.2.3.4/8/9', ''])
      expect(allowedEntry(bad), bad).toBeUndefined();
  });

  it('replaces autoir’s own table whole, drops by default, and keeps loopback and the allowed addresses', () => {
    const ruleset = isolationRuleset(['10.77.0.1', 'fd00::1']);
    expect(ruleset.split('\n').slice(0, 3)).toEqual([
      'table inet autoir_isolation',
      'delete table inet autoir_isolation',
      'table inet autoir_isolation {',
    ]);
    expect(ruleset).toContain('elements = { 10.77.0.1 }');
    expect(ruleset).toContain('elements = { fd00::1 }');
    expect(ruleset.match(/policy drop/g)).toHaveLength(2);
    expect(ruleset).toContain('iif "lo" accept');
    // No other table is touched.
    expect(ruleset.match(/table inet \S+/g)?.every((line) => line.endsWith('autoir_isolation'))).toBe(true);
    expect(isolationRuleset([])).not.toContain('elements');
  });
});
