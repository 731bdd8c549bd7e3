import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

let lastTime = -1;
let lastRandom: Buffer = Buffer.alloc(10);

/**
 * A new id: `prefix` + `_` + a ULID in lower-case Crockford base32 (48-bit time, 80-bit randomness). Ids sort by
 * creation time, and ids made in the same millisecond by one process still sort in creation order.
 *
 * @example newId('alr') // 'alr_01jdq3y7m7h2xv8k3c9t4w5z6n'
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let random: Buffer;
  if (now === lastTime) {
    random = Buffer.from(lastRandom);
    for (let index = random.length - 1; index >= 0; index--) {
      random[index] = ((random[index] ?? 0) + 1) & 255;
      if (random[index] !== 0) break;
    }
  } else {
    random = randomBytes(10);
  }
  lastTime = now;
  lastRandom = random;
  let time = '';
  let remaining = now;
  for (let index = 0; index < 10; index++) {
    time = CROCKFORD[remaining % 32] + time;
    remaining = Math.floor(remaining / 32);
  }
  let bits = 0;
  let value = 0;
  let tail = '';
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      tail += CROCKFORD[(value >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `${prefix}_${time}${tail}`;
}
