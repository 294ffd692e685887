import { formatDuration } from '../../harness/duration.js';
import type { Burst, LimitProber, Recovery } from '../../harness/load/limit-probe.js';

/** What the probe has established so far, and how: the evidence of every figure. */
export interface Measured {
  burst?: number;
  /** The burst figure comes from a burst that ended on the vendor's throttle, not a spent budget (a lower bound). */
  burstThrottled?: boolean;
  perSecond?: number;
  windowMs?: number;
  tokenBucket?: boolean;
  how: string[];
  confidence: 'high' | 'medium' | 'low';
}

/** Window styles: a second burst right after recovery gets (nearly) the whole limit back. */
export async function measureWindow(p: LimitProber, r1: Recovery, b2: Burst, maxWaitMs: number, m: Measured) {
  const n2 = 1 + b2.ok;
  const r2 = await p.recovery(b2.endedAt, maxWaitMs);
  if (!r2) {
    m.burst = n2;
    m.burstThrottled = b2.throttle !== undefined;
    m.how.push(`${n2} admitted after the first reset; the next reset was not seen within the budget or wait`);
    m.confidence = 'low';
    return;
  }
  const windowMs = r2.at - r1.at;
  const b3 = await p.burst(Math.floor(p.left * 0.9));
  const n3 = b3.throttle ? 1 + b3.ok : 0;
  m.burst = Math.max(n2, n3);
  // n3 counts only a throttled burst; n2 is a lower bound unless its burst was throttled too.
  m.burstThrottled = n3 >= n2 || b2.throttle !== undefined;
  m.windowMs = windowMs;
  m.perSecond = (m.burst / windowMs) * 1000;
  m.how.push(
    `bursts of ${n2}${n3 ? ` and ${n3}` : ''} right after consecutive resets ${formatDuration(windowMs)} apart (each reset found by probes spaced under 3% of the wait)`,
  );
  m.confidence = n3 && Math.abs(n3 - n2) <= Math.max(1, 0.02 * n2) ? 'high' : 'medium';
  // A burst that takes a good part of the window may run into the next one and double-count.
  const burstMs = b2.endedAt - r1.at;
  if (burstMs > 0.3 * windowMs) {
    m.confidence = 'low';
    m.how.push(
      `a burst took ${formatDuration(burstMs)} of the ${formatDuration(windowMs)} window, so it may have crossed a reset`,
    );
  }
}

/**
 * Token bucket: capacity trickles back. Refill, drain, repeat until ~40 tokens were counted:
 * the fractions left at each throttle carry into the next refill, so the count over the whole
 * span is right to one token however many cycles it took.
 */
export async function measureBucket(
  p: LimitProber,
  b1: Burst,
  r1: Recovery,
  b2: Burst,
  maxWaitMs: number,
  m: Measured,
) {
  let perMs = 1 / Math.max(1, r1.at - b1.endedAt);
  const refill = Math.max(2, Math.min(40, 0.8 * Math.max(b1.ok, 2)));
  const from = b2.endedAt;
  let tokens = 0;
  let until = from;
  let cycles = 0;
  while (tokens < 40 && p.left > refill + 2 && Date.now() - from < maxWaitMs) {
    await p.idle(Math.min(maxWaitMs / 4, refill / perMs) - (Date.now() - until));
    const b = await p.burst(Math.floor(p.left * 0.9));
    if (!b.throttle) break;
    tokens += b.ok;
    until = b.endedAt;
    cycles++;
    if (tokens > 0) perMs = tokens / (until - from);
  }
  // Both figures below start from the first burst, which ended on a throttle.
  m.burstThrottled = true;
  if (cycles === 0 || tokens === 0) {
    m.burst = b1.ok;
    m.how.push(
      'capacity came back a little at a time, but no timed refill could be counted within the budget or wait',
    );
    m.confidence = 'low';
    return;
  }
  m.perSecond = perMs * 1000;
  // The first burst drained a full bucket while it kept refilling, between its first and last
  // admitted request (the first one also paid for connection set-up, so start from its answer).
  const drainMs = (b1.lastOk?.at ?? b1.endedAt) - (b1.firstOk?.at ?? b1.startedAt);
  m.burst = Math.max(1, Math.round(b1.ok - perMs * drainMs));
  m.windowMs = m.burst / perMs;
  m.tokenBucket = true;
  m.how.push(
    `capacity came back a little at a time (${1 + b2.ok} right after the first refill); ${tokens} tokens counted over ${cycles} refill(s) in ${formatDuration(until - from)}; burst from a full bucket minus its refill during the burst`,
  );
  m.confidence = tokens >= 40 ? 'high' : tokens >= 15 ? 'medium' : 'low';
}
