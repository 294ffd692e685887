import { describe, expect, it } from 'vitest';
import { advertisedLimit, probeResult } from '../../harness/vendors/salesforce/limits.js';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body: JSON.stringify(body),
});

describe('Salesforce limit headers and throttle', () => {
  it.each([
    ['api-usage=10018/100000', { dailyLimit: 100_000, dailyRemaining: 89_982 }],
    ['api-usage=1/750; api-bursts=1/750', { dailyLimit: 750, dailyRemaining: 749 }],
    [
      'per-app-api-usage=17/250(appName=sample-app), api-usage=25/5000',
      { dailyLimit: 5000, dailyRemaining: 4975 },
    ],
    ['per-app-api-usage=17/250(appName=sample-app)', {}],
    ['', {}],
  ])('reads %j as %j', (header, expected) => {
    expect(advertisedLimit(new Headers(header ? { 'sforce-limit-info': header } : {}))).toEqual(expected);
  });

  it('counts 403 REQUEST_LIMIT_EXCEEDED (and any 429) as a throttle, not a permission 403', () => {
    const limited = [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
    const denied = [{ message: 'insufficient access', errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' }];
    expect(probeResult(answer(403, limited)).throttled).toBe(true);
    expect(probeResult(answer(403, denied)).throttled).toBe(false);
    expect(probeResult(answer(429, {})).throttled).toBe(true);
    expect(probeResult({ status: 403, headers: new Headers(), body: 'Forbidden' }).throttled).toBe(false);
  });
});
