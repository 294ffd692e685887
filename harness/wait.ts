/** Polls `done` every 100 ms until it holds, `timeoutMs` passes or `signal` aborts. */
export async function waitFor(done: () => boolean, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done() && Date.now() < until && !signal.aborted) await new Promise((r) => setTimeout(r, 100));
}

/** Resolves after `ms`, or at once on abort; the caller then stops at its next step. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
