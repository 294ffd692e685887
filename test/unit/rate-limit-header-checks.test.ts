import { describe, expect, it } from 'vitest';
import { checkHeaders, headerNotes } from '../../scenarios/rate-limit-probe/header-checks.js';

const verdicts = (checks: ReturnType<typeof checkHeaders>) =>
  Object.fromEntries(checks.map((c) => [c.claim, c.verdict]));

describe('rate-limit-probe header checks', () => {
  const hubspot = {
    limit: 190,
    remaining: 189,
    windowMs: 10_000,
    dailyLimit: 650_000,
    dailyRemaining: 649_999,
  };

  it('compares every short-window claim with a burst that ended on the throttle', () => {
    const checks = checkHeaders(
      hubspot,
      { remaining: 0 },
      { burst: 190, burstThrottled: true, windowMs: 10_100 },
    );
    expect(verdicts(checks)).toEqual({
      limit: 'agrees',
      remaining: 'agrees',
      window: 'agrees',
      daily: 'unchecked',
    });
    expect(headerNotes(checks, true)).toMatchObject({ checked: 3, mismatches: 0 });
  });

  it('counts the lies a throttled burst contradicts', () => {
    const checks = checkHeaders(
      { ...hubspot, limit: 250, windowMs: 20_000 },
      { remaining: 5 },
      { burst: 190, burstThrottled: true, windowMs: 10_100 },
    );
    expect(verdicts(checks)).toEqual({
      limit: 'disagrees',
      remaining: 'disagrees',
      window: 'disagrees',
      daily: 'unchecked',
    });
    expect(headerNotes(checks, true)).toMatchObject({ checked: 3, mismatches: 3 });
  });

  it('checks nothing against a burst that stopped on the budget, and says honesty is unknown', () => {
    const checks = checkHeaders({ ...hubspot, limit: 250 }, undefined, { burst: 135, burstThrottled: false });
    expect(verdicts(checks)).toEqual({
      limit: 'unchecked',
      remaining: 'unchecked',
      window: 'unchecked',
      daily: 'unchecked',
    });
    const { checked, mismatches, notes } = headerNotes(checks, true);
    expect({ checked, mismatches }).toEqual({ checked: 0, mismatches: 0 });
    expect(notes).toContain(
      'header not checked: the limit header says 250, but no burst reached the throttle (135 admitted is only a lower bound)',
    );
    expect(notes.at(-1)).toBe(
      'header honesty unknown: no claim of the limit headers could be compared with what was observed',
    );
  });

  it('never holds a daily quota against a burst, even one that hit the throttle', () => {
    // Salesforce: Sforce-Limit-Info is the 24 h allocation and nothing else.
    const checks = checkHeaders(
      { dailyLimit: 100_000, dailyRemaining: 99_550 },
      { dailyRemaining: 99_100 },
      { burst: 450, burstThrottled: true },
    );
    expect(verdicts(checks)).toEqual({ daily: 'unchecked' });
    expect(headerNotes(checks, true).checked).toBe(0);
  });

  it('says so when a vendor sends no limit headers at all', () => {
    const { checked, notes } = headerNotes(checkHeaders({}, {}, { burst: 15, burstThrottled: true }), true);
    expect(checked).toBe(0);
    expect(notes).toEqual([
      'header honesty unknown: the vendor sent no rate-limit headers, so there was nothing to check',
    ]);
  });

  it('leaves a token bucket’s window claim unchecked: it has no reset to time', () => {
    const checks = checkHeaders(
      { windowMs: 10_000 },
      {},
      { burst: 20, burstThrottled: true, tokenBucket: true },
    );
    expect(verdicts(checks)).toEqual({ window: 'unchecked' });
  });
});
