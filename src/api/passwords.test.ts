import { describe, expect, it } from 'vitest';
import { argon2Parameters, checkPassword, hashPassword, verifyNothing, verifyPassword } from './passwords.js';

// Made by the previous release's WebAssembly implementation (hash-wasm): hashes already stored must keep verifying.
const earlierHash =
  '$argon2id$v=19$m=19456,t=2,p=1$YXV0b2lyLWZpeGVkLXNhbHQ$cddhw9PON9BdylkwSMtFqOuSc5qFbeuviOXoE6NhDEg';

describe('passwords', () => {
  it('hashes to an argon2id PHC string with the configured parameters that verifies only its password', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    const { memorySize, iterations, parallelism } = argon2Parameters;
    expect(encoded).toMatch(
      new RegExp(
        `^\\$argon2id\\$v=19\\$m=${memorySize},t=${iterations},p=${parallelism}\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}$`,
      ),
    );
    expect(await verifyPassword('correct horse battery staple', encoded)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', encoded)).toBe(false);
    // A new random salt each time.
    expect(await hashPassword('correct horse battery staple')).not.toBe(encoded);
  });

  it('verifies hashes stored by the previous release', async () => {
    expect(await verifyPassword('correct horse battery staple', earlierHash)).toBe(true);
    expect(await verifyPassword('Correct horse battery staple', earlierHash)).toBe(false);
  });

  it('treats the same password in two Unicode forms alike', async () => {
    const composed = 'mot de passe d\u00e9j\u00e0 vu';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it('verifies nothing against a malformed or unreasonable hash', async () => {
    expect(await verifyPassword('x', 'not a hash')).toBe(false);
    // 4 GiB of memory asked by a tampered row: refused before any work.
    expect(await verifyPassword('x', earlierHash.replace('m=19456', 'm=4194304'))).toBe(false);
    expect(await verifyNothing('anything at all')).toBe(false);
  });

  it('hashes off the event loop: other work goes on while hashes are computed', async () => {
    await hashPassword('warm up the thread pool');
    // How much of the time eight hashes take the event loop could not turn (stretches of over 2 ms between two
    // ticks of a 1 ms timer). A hash computed on the event loop (as the WebAssembly one was) holds it throughout.
    let stalled = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      if (now - last > 2) stalled += now - last - 1;
      last = now;
    }, 1);
    const start = performance.now();
    await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => hashPassword(`password number ${n}`)));
    const elapsed = performance.now() - start;
    clearInterval(ticker);
    expect(stalled / elapsed).toBeLessThan(0.5);
  });

  it('accepts 12 to 1024 characters, counted as code points', () => {
    expect(checkPassword('a'.repeat(12))).toBe('a'.repeat(12));
    expect(() => checkPassword('a'.repeat(11))).toThrow(/12 to 1024 characters long, got 11/);
    // Eleven emoji are 22 UTF-16 units but 11 characters.
    expect(() => checkPassword('\u{1F512}'.repeat(11))).toThrow(/got 11/);
  });
});
