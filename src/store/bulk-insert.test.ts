import { describe, expect, it } from 'vitest';
import { sortedRows } from './bulk-insert.js';

describe('rows put in key order for an insert', () => {
  it('sorts rows of a flat array by their values, first column first, each row kept whole', () => {
    // (entity hash, time, id) rows as the entity indexes take them; hashes up to 2^53.
    const flat = [9_007_199_254_740_000, 5, 1, -3, 7, 2, 42, 9, 3, -3, 6, 4, 42, 9, 0];
    expect(sortedRows(flat, 3)).toEqual([
      -3, 6, 4, -3, 7, 2, 42, 9, 0, 42, 9, 3, 9_007_199_254_740_000, 5, 1,
    ]);
    expect(sortedRows([], 3)).toEqual([]);
  });
});
