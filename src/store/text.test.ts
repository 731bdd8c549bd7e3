import { describe, expect, it } from 'vitest';
import { NUL_REPLACEMENT, storableText, storableValues } from './text.js';

describe('text the database can hold', () => {
  it('replaces NUL by U+FFFD in strings and arrays of strings, and leaves everything else as it is', () => {
    expect(storableText('a\u0000b\u0000')).toBe(`a${NUL_REPLACEMENT}b${NUL_REPLACEMENT}`);
    const bytes = new Uint8Array([0, 1]);
    const values = ['x\u0000', 1, null, bytes, ['y\u0000', 'z']];
    expect(storableValues(values)).toEqual([
      `x${NUL_REPLACEMENT}`,
      1,
      null,
      bytes,
      [`y${NUL_REPLACEMENT}`, 'z'],
    ]);
    expect(values[0]).toBe('x\u0000');
    const clean = ['a', 2, ['b']];
    // Nothing to change: the same array, no copy.
    expect(storableValues(clean)).toBe(clean);
  });
});
