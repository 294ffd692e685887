import { FixedWindowLimiter, type RequestLimiter, TokenBucketLimiter } from '../rate-limiter.js';

/**
 * How long until a limiter is whole again (every request it counts has aged out), which is what
 * Pipedrive's `x-ratelimit-reset` states in seconds. For its rolling window that is the window
 * length after the newest admitted request (`x-ratelimit-reset: 2` right after a request);
 * `lastTakenAt` is that request's time. Other styles are what tests draw for the probe.
 */
export function windowResetMs(limiter: RequestLimiter, lastTakenAt: number | undefined, now: number): number {
  const used = limiter.limit - limiter.remaining(now);
  if (used <= 0 || lastTakenAt === undefined) return 0;
  if (limiter instanceof FixedWindowLimiter) return limiter.windowMs - (now % limiter.windowMs);
  // A bucket refills continuously: `used` tokens take used/limit of the window to come back.
  if (limiter instanceof TokenBucketLimiter) return (used * limiter.windowMs) / limiter.limit;
  return Math.max(0, lastTakenAt + limiter.windowMs - now);
}

/** Whole seconds, rounded up: Pipedrive states durations in seconds. */
export function ceilSeconds(ms: number): number {
  return Math.ceil(ms / 1000);
}
