import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countListed, listsDevice } from './device-list.js';

// Keys made of the characters that could confuse a text search: quotes, commas, brackets, backslashes.
const key = fc.string({ unit: fc.constantFrom('a', 'b', '"', ',', '\\', '[', ']', ':', 'é'), maxLength: 6 });

describe('stored device lists', () => {
  it('names exactly the keys JSON.parse finds, and counts them', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 8 }), key, (keys, probe) => {
        const list = JSON.stringify(keys);
        expect(countListed(list)).toBe(keys.length);
        for (const listed of keys) expect(listsDevice(list, listed)).toBe(true);
        expect(listsDevice(list, probe)).toBe(keys.includes(probe));
      }),
      { numRuns: 2000 },
    );
  });

  it('does not take part of a key for a key', () => {
    const list = JSON.stringify(['device:a","device:b', 'device:c\\"', 'x,"device:d"']);
    expect(listsDevice(list, 'device:b')).toBe(false);
    expect(listsDevice(list, 'device:d')).toBe(false);
    expect(listsDevice(list, 'device:a')).toBe(false);
    expect(listsDevice(list, 'device:c\\"')).toBe(true);
    expect(countListed(list)).toBe(3);
    expect(countListed('[]')).toBe(0);
  });
});
