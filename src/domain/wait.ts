/**
 * Waiting in a long-running loop (a worker's poll, a follower's, an input's report): `ms`, or less when `signal`
 * aborts or `wake` fires `event`. Every listener is removed when the wait ends, so that a loop that waits for hours
 * does not pile them up on a signal that lives as long.
 */
export function wait(
  ms: number,
  signal: AbortSignal,
  wake?: { readonly target: EventTarget; readonly event: string },
): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      wake?.target.removeEventListener(wake.event, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    wake?.target.addEventListener(wake.event, done, { once: true });
  });
}
