/**
 * Passwords of local accounts: argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane), a 16-byte
 * random salt and a 32-byte hash, kept as a PHC string:
 *
 * @example await hashPassword('correct horse battery staple') // '$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>'
 *
 * Unlike API tokens (auth.ts), passwords are chosen by people and can be guessed from dictionaries: the hash must be
 * slow and memory-hard. One hash takes some 30–70 ms of CPU: it runs natively on libuv's thread pool (@node-rs/argon2),
 * never on the event loop, so a flood of sign-ins slows sign-ins, not every other request.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hashRaw, type Options } from '@node-rs/argon2';
import { AutoirError } from '../domain/errors.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/** The parameters new hashes get. */
export const argon2Parameters = {
  memorySize: 19_456,
  iterations: 2,
  parallelism: 1,
  hashLength: 32,
  saltLength: 16,
} as const;

/**
 * The password, if it is acceptable to set: 12 to 1024 characters (code points, so that every script counts
 * alike). Otherwise an `AUTOIR_E_BAD_INPUT` naming the field.
 */
export function checkPassword(password: string, field = 'password'): string {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH)
    throw new AutoirError(
      'AUTOIR_E_BAD_INPUT',
      `the password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long, got ${length}`,
      { location: { field } },
    );
  return password;
}

// One Unicode form, so that the same password typed on two keyboards hashes alike.
const normalize = (password: string) => password.normalize('NFC');

// `Algorithm.Argon2id` is a const enum in the package's types: its value, named here.
const ARGON2ID = 2 as Options['algorithm'];

/**
 * Password hashes computed at once, and waiting: each takes 19 MiB and a thread for some 50 ms, so a flood of
 * sign-ins queues a bounded few and turns the rest away (429) rather than growing memory and latency without end.
 */
const MAX_HASHING = 2;
const MAX_WAITING = 32;
let hashing = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (hashing < MAX_HASHING) hashing++;
  else {
    if (waiting.length >= MAX_WAITING)
      throw new AutoirError(
        'AUTOIR_E_TOO_MANY_ATTEMPTS',
        'the server is busy checking passwords: try again in a few seconds',
      );
    // The slot is handed over by the one that finishes: `hashing` stays as it is.
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else hashing--;
  }
}

/** argon2id of a password with these parameters, computed off the event loop, a bounded few at a time. */
function argon2id(
  password: string,
  parameters: {
    salt: Buffer;
    memorySize: number;
    iterations: number;
    parallelism: number;
    hashLength: number;
  },
): Promise<Buffer> {
  return withHashSlot(() =>
    hashRaw(normalize(password), {
      algorithm: ARGON2ID,
      salt: parameters.salt,
      memoryCost: parameters.memorySize,
      timeCost: parameters.iterations,
      parallelism: parameters.parallelism,
      outputLen: parameters.hashLength,
    }),
  );
}

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

export async function hashPassword(password: string): Promise<string> {
  const { saltLength, memorySize, iterations, parallelism, hashLength } = argon2Parameters;
  const salt = randomBytes(saltLength);
  const hash = await argon2id(password, { salt, memorySize, iterations, parallelism, hashLength });
  return `$argon2id$v=19$m=${memorySize},t=${iterations},p=${parallelism}$${b64(salt)}$${b64(hash)}`;
}

interface Phc {
  readonly memorySize: number;
  readonly iterations: number;
  readonly parallelism: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** An argon2id PHC string, with bounds so that a tampered row cannot make a sign-in allocate gigabytes. */
function parsePhc(encoded: string): Phc | undefined {
  const match =
    /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(
      encoded,
    );
  if (!match) return undefined;
  const [, m, t, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const phc = {
    memorySize: Number(m),
    iterations: Number(t),
    parallelism: Number(p),
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
  };
  const sane =
    phc.parallelism >= 1 &&
    phc.parallelism <= 16 &&
    phc.memorySize >= 8 * phc.parallelism &&
    phc.memorySize <= 262_144 &&
    phc.iterations >= 1 &&
    phc.iterations <= 16 &&
    phc.salt.length >= 8 &&
    phc.hash.length >= 16 &&
    phc.hash.length <= 64;
  return sane ? phc : undefined;
}

/**
 * True when `password` is the one `encoded` was made from, compared in constant time. A malformed hash verifies
 * nothing.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const phc = parsePhc(encoded);
  if (!phc) return false;
  const computed = await argon2id(password, {
    salt: phc.salt,
    memorySize: phc.memorySize,
    iterations: phc.iterations,
    parallelism: phc.parallelism,
    hashLength: phc.hash.length,
  });
  return timingSafeEqual(computed, phc.hash);
}

let decoy: Promise<string> | undefined;

/**
 * Spend the time a verification takes, for a user name that does not exist: a sign-in for an unknown name takes
 * as long as one with a wrong password, so timing does not tell which names exist.
 */
export async function verifyNothing(password: string): Promise<false> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await decoy);
  return false;
}
