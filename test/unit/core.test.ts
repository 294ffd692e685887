import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, PocError } from '../../harness/errors.js';
import { backoffMs, isRetryableStatus } from '../../harness/pipeline/outbound/retry.js';
import { LatencyHistogram } from '../../harness/telemetry/histogram.js';
import { SeqSet } from '../../harness/telemetry/seq-set.js';
import {
  createLimiter,
  FixedWindowLimiter,
  type RequestLimiter,
  RollingWindowLimiter,
  TokenBucketLimiter,
} from '../../mock-vendor/rate-limiter.js';

describe('error table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  it.each(Object.entries(ERRORS))('%s is documented in README with its exit code', (code, spec) => {
    expect(readme).toMatch(new RegExp(`\\| \`${code}\`\\s*\\| ${spec.exit}\\s*\\|`));
  });
  it('carries code, exit code and hint', () => {
    const err = new PocError('POC_ERR_UNKNOWN_VENDOR', 'x');
    expect(err).toMatchObject({ code: 'POC_ERR_UNKNOWN_VENDOR', exitCode: 2 });
    expect(err.hint).toMatch(/poc list vendors/);
  });
});

describe('SeqSet', () => {
  it('tracks membership, duplicates and what is missing elsewhere', () => {
    const written = new SeqSet();
    const received = new SeqSet();
    for (let i = 0; i < 100_000; i++) written.add(i);
    for (let i = 0; i < 100_000; i++) if (i % 1000 !== 0) received.add(i);
    expect(written.size).toBe(100_000);
    expect(written.missingFrom(received)).toBe(100);
    expect(received.add(5)).toBe(false);
    expect(received.has(1000)).toBe(false);
  });
});

describe('LatencyHistogram', () => {
  it('reports percentiles within HDR precision', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i);
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.p50).toBeGreaterThan(499);
    expect(s.p50).toBeLessThan(501.5);
    expect(s.p99).toBeGreaterThan(989);
    expect(s.max).toBeGreaterThan(999);
  });
});

describe('RollingWindowLimiter', () => {
  it('admits the limit per window and frees slots as the window rolls', () => {
    const limiter = new RollingWindowLimiter(10, 10_000);
    let admitted = 0;
    for (let i = 0; i < 20; i++) if (limiter.tryTake(1_000)) admitted++;
    expect(admitted).toBe(10);
    expect(limiter.tryTake(10_500)).toBe(false);
    expect(limiter.tryTake(11_100)).toBe(true);
  });
});

describe('retry policy', () => {
  it('retries 429 and 5xx only', () => {
    expect([429, 500, 503].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409].some(isRetryableStatus)).toBe(false);
  });
  it('uses equal jitter under an exponential ceiling: never less than half the ceiling', () => {
    const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs({ ...policy, random: () => 0.999 }, 2)).toBeCloseTo(399.8);
    expect(backoffMs({ ...policy, random: () => 0.999 }, 10)).toBeCloseTo(999.5);
    expect(backoffMs({ ...policy, random: () => 0 }, 3)).toBe(400);
  });
});

describe('limiter styles', () => {
  const admitted = (l: RequestLimiter, from: number, to: number, every: number) => {
    let n = 0;
    for (let t = from; t < to; t += every) if (l.tryTake(t)) n++;
    return n;
  };

  it.each(['fixed', 'sliding', 'token-bucket'] as const)(
    '%s admits limit/window on average and says when it resets',
    (style) => {
      const l = createLimiter({ style, limit: 50, windowMs: 1000 });
      // Hammer it every ms for 10 s: the sustained rate shows, whatever the burst.
      const n = admitted(l, 0, 10_000, 1);
      expect(n).toBeGreaterThanOrEqual(style === 'token-bucket' ? 540 : 500);
      expect(n).toBeLessThanOrEqual(550);
      expect(l.remaining(9_999)).toBeLessThanOrEqual(1);
      expect(l.resetInMs(9_999)).toBeGreaterThanOrEqual(0);
      expect(l.resetInMs(9_999)).toBeLessThanOrEqual(1000);
    },
  );

  it('differ in burst and recovery: fixed resets at the boundary, token bucket refills steadily', () => {
    const fixed = new FixedWindowLimiter(10, 1000);
    expect(admitted(fixed, 900, 901, 0.01)).toBe(10);
    expect(fixed.resetInMs(950)).toBe(50);
    expect(fixed.tryTake(1000)).toBe(true);
    const bucket = new TokenBucketLimiter(10, 1000);
    expect(admitted(bucket, 0, 1, 0.01)).toBe(10);
    expect(bucket.tryTake(50)).toBe(false);
    expect(bucket.resetInMs(50)).toBeCloseTo(50);
    expect(bucket.tryTake(101)).toBe(true);
  });
});
