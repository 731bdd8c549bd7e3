/**
 * Failed sign-ins for names that have no account, counted in memory (bounded), not in the store: each bogus name
 * would otherwise add a row, and a flood of random names would grow the table without end. They are counted and
 * locked exactly like a real account's (the lock must not tell which names exist); the per-address and overall
 * rate limits (server.ts) bound how many names one client can try.
 */
import type { SignInDamping } from '../domain/access.js';

interface Window {
  failures: number;
  windowStart: number;
  lockedUntil: number;
}

export class UnknownNameFailures {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly damping: SignInDamping,
    /** Names remembered at most; the least recently failed are forgotten first. */
    private readonly capacity = 10_000,
  ) {}

  get size(): number {
    return this.windows.size;
  }

  lockedUntil(name: string, now: Date): Date | undefined {
    const window = this.windows.get(name);
    return window && window.lockedUntil > now.getTime() ? new Date(window.lockedUntil) : undefined;
  }

  /** Count a failure; the end of the lock when this failure started one. */
  record(name: string, now: Date): Date | undefined {
    const time = now.getTime();
    const previous = this.windows.get(name);
    const window =
      previous && previous.windowStart > time - this.damping.windowMs
        ? { ...previous, failures: previous.failures + 1 }
        : { failures: 1, windowStart: time, lockedUntil: previous?.lockedUntil ?? 0 };
    this.windows.delete(name);
    this.windows.set(name, window);
    if (this.windows.size > this.capacity) this.windows.delete(this.windows.keys().next().value as string);
    if (window.failures < this.damping.maxFailures) return undefined;
    window.lockedUntil = time + this.damping.lockMs;
    window.failures = 0;
    window.windowStart = time;
    return new Date(window.lockedUntil);
  }
}
