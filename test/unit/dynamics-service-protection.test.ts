import { describe, expect, it } from 'vitest';
import { ServiceProtection } from '../../mock-vendor/dynamics/service-protection.js';
import { defaultDynamicsSettings } from '../../mock-vendor/dynamics/settings.js';

const USER = 'user-1';

describe('mock Dataverse service protection', () => {
  it('refuses a request over the concurrency limit with 0x80072326 until one is answered', () => {
    const sp = new ServiceProtection({ ...defaultDynamicsSettings(), concurrentLimit: 2 });
    expect(sp.admit(USER, 0)).toBeUndefined();
    expect(sp.admit(USER, 0)).toBeUndefined();
    expect(sp.admit(USER, 0)).toMatchObject({ code: '0x80072326', retryAfterS: 1 });
    sp.release(USER, 1, 1);
    expect(sp.admit(USER, 1)).toBeUndefined();
    // Limits are per user: another user is not affected.
    expect(sp.admit('user-2', 1)).toBeUndefined();
  });

  it('refuses with 0x80072321 once combined execution time fills the window, and recovers after it', () => {
    const sp = new ServiceProtection({
      ...defaultDynamicsSettings(),
      executionTimeLimitMs: 1000,
      windowMs: 10_000,
    });
    expect(sp.admit(USER, 0)).toBeUndefined();
    sp.release(USER, 5, 1000);
    expect(sp.headers(USER, 5)['x-ms-ratelimit-time-remaining-xrm-requests']).toBe('0.00');
    expect(sp.admit(USER, 6)).toMatchObject({ code: '0x80072321', retryAfterS: 10 });
    expect(sp.admit(USER, 10_200)).toBeUndefined();
  });

  it('counts requests over the sliding window (0x80072322) and reports what is left', () => {
    const sp = new ServiceProtection({ ...defaultDynamicsSettings(), requestsLimit: 3, windowMs: 1000 });
    for (let i = 0; i < 3; i++) {
      expect(sp.admit(USER, i)).toBeUndefined();
      sp.release(USER, i, 0);
    }
    expect(sp.headers(USER, 3)['x-ms-ratelimit-burst-remaining-xrm-requests']).toBe('0');
    expect(sp.admit(USER, 3)?.message).toBe(
      'Number of requests exceeded the limit of 3 over time window of 1 seconds.',
    );
    expect(sp.admit(USER, 1100)).toBeUndefined();
  });

  it('says Retry-After as the time until the sliding window admits again, not a whole window', () => {
    const sp = new ServiceProtection({ ...defaultDynamicsSettings(), requestsLimit: 3, windowMs: 10_000 });
    for (const t of [0, 1000, 2000]) {
      expect(sp.admit(USER, t)).toBeUndefined();
      sp.release(USER, t, 0);
    }
    // The request at 0 leaves the window at 10 s: 7.5 s from 2.5 s, rounded up to 8.
    expect(sp.admit(USER, 2500)).toMatchObject({ code: '0x80072322', retryAfterS: 8 });
    expect(sp.admit(USER, 9900)).toMatchObject({ retryAfterS: 1 });
    expect(sp.admit(USER, 10_000)).toBeUndefined();
  });

  it('takes any limiter style from settings.rateLimit; the burst header follows its state', () => {
    const fixed = new ServiceProtection({
      ...defaultDynamicsSettings(),
      rateLimit: { style: 'fixed', limit: 2, windowMs: 1000 },
    });
    const remaining = (sp: ServiceProtection, now: number) =>
      sp.headers(USER, now)['x-ms-ratelimit-burst-remaining-xrm-requests'];
    expect(fixed.admit(USER, 0)).toBeUndefined();
    expect(remaining(fixed, 0)).toBe('1');
    expect(fixed.admit(USER, 100)).toBeUndefined();
    expect(remaining(fixed, 100)).toBe('0');
    expect(fixed.admit(USER, 300)).toMatchObject({
      retryAfterS: 1,
      message: 'Number of requests exceeded the limit of 2 over time window of 1 seconds.',
    });
    expect(fixed.admit(USER, 1000)).toBeUndefined();
    expect(remaining(fixed, 1000)).toBe('1');

    const bucket = new ServiceProtection({
      ...defaultDynamicsSettings(),
      rateLimit: { style: 'token-bucket', limit: 2, windowMs: 4000 },
    });
    expect(bucket.admit(USER, 0)).toBeUndefined();
    expect(bucket.admit(USER, 0)).toBeUndefined();
    // One token comes back every 2 s.
    expect(bucket.admit(USER, 0)).toMatchObject({ code: '0x80072322', retryAfterS: 2 });
    expect(remaining(bucket, 2000)).toBe('1');
    expect(bucket.admit(USER, 2000)).toBeUndefined();
  });
});
