/**
 * Claims held by workers (`host:pid:n`): which belong to processes of this host that are no longer running, so
 * their work can be taken over at once instead of after the lease.
 */
import { hostname } from 'node:os';

const THIS_HOST = hostname();

/** `LIKE` pattern of the claims of this host's workers. */
export const thisHostClaims = `${THIS_HOST}:%`;

/** Whether a process of this host is running (one of another user's counts as running). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True for a claim of this host whose process is gone (never this process's own). */
export function isDeadClaim(claimedBy: string | null): boolean {
  if (!claimedBy?.startsWith(`${THIS_HOST}:`)) return false;
  const pid = Number(claimedBy.slice(THIS_HOST.length + 1).split(':')[0]);
  return Number.isInteger(pid) && pid !== process.pid && !isAlive(pid);
}
