import { describe, expect, it } from 'vitest';
import { ALLOW_WEIGHT, BLOCK_WEIGHT, decideVerdict } from './verdict.js';

const f = (weight: number) => ({ analyzer: 'test', weight, text: `weight ${weight}` });

describe('decideVerdict', () => {
  it('is unknown without findings', () => {
    expect(decideVerdict([])).toEqual({ verdict: 'unknown', score: 0 });
  });

  it('adds the weights: 70 or more is malicious, 30 or more suspicious, less no threats found', () => {
    expect(decideVerdict([f(40), f(30)]).verdict).toBe('malicious');
    expect(decideVerdict([f(40), f(29)]).verdict).toBe('suspicious');
    expect(decideVerdict([f(30)]).verdict).toBe('suspicious');
    expect(decideVerdict([f(29)]).verdict).toBe('noThreatsFound');
    expect(decideVerdict([f(60), f(-40)])).toEqual({ verdict: 'noThreatsFound', score: 20 });
  });

  it('lets a block indicator decide alone, and an allow indicator override everything', () => {
    expect(decideVerdict([f(BLOCK_WEIGHT), f(-40)]).verdict).toBe('malicious');
    expect(decideVerdict([f(ALLOW_WEIGHT), f(BLOCK_WEIGHT), f(300)]).verdict).toBe('noThreatsFound');
    expect(decideVerdict([f(BLOCK_WEIGHT), f(BLOCK_WEIGHT)]).score).toBe(BLOCK_WEIGHT);
  });
});
