import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../harness/duration.js';
import { evaluate, parseThreshold } from '../../harness/runs/thresholds.js';
import { parseHubspotDelivery } from '../../harness/vendors/hubspot/events.js';
import { MalformedDeliveryError } from '../../harness/vendors/types.js';
import { parseFaults } from '../../mock-vendor/faults.js';

describe('durations', () => {
  it('parses k6-style durations', () => {
    expect(parseDuration('250ms', 'x')).toBe(250);
    expect(parseDuration('30s', 'x')).toBe(30_000);
    expect(parseDuration('1h30m', 'x')).toBe(5_400_000);
    expect(parseDuration('2d', 'x')).toBe(172_800_000);
  });
  it('formats the two largest units', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(85_470_000)).toBe('23h44m');
    expect(formatDuration(86_400_000)).toBe('1d');
  });
  it('names the field and the accepted form on bad input', () => {
    expect(() => parseDuration('10 seconds', '--duration')).toThrow(
      /--duration: "10 seconds" is not a duration; write it like/,
    );
    expect(() => parseDuration('', '--grace')).toThrow(/--grace/);
  });
});

describe('thresholds', () => {
  const keys = ['webhook.latency_p99_ms', 'webhook.loss_count'];
  it('parses and evaluates', () => {
    const t = parseThreshold('webhook.latency_p99_ms<250', keys);
    expect(t).toEqual({ key: 'webhook.latency_p99_ms', op: '<', threshold: 250, source: 'user' });
    const checks = evaluate([t], [{ key: 'webhook.latency_p99_ms', value: 300, unit: 'ms', evidence: '' }]);
    expect(checks[0]).toMatchObject({ passed: false, value: 300 });
    expect(evaluate([t], [])[0]).toMatchObject({ passed: false, value: null });
  });
  it('rejects malformed expressions and unknown findings with POC_ERR_BAD_THRESHOLD', () => {
    expect(() => parseThreshold('p99 < fast', keys)).toThrow(
      expect.objectContaining({ code: 'POC_ERR_BAD_THRESHOLD' }),
    );
    expect(() => parseThreshold('webhook.nope_ms<1', keys)).toThrow(
      /not a finding of this scenario; known: webhook.latency_p99_ms/,
    );
  });
});

describe('faults', () => {
  it('parses probabilities, percentages and jitter', () => {
    expect(parseFaults(['duplicate=0.05,failure=2%', 'jitter=20ms'])).toEqual({
      duplicate: 0.05,
      failure: 0.02,
      reorder: 0,
      jitterMs: 20,
    });
  });
  it('rejects unknown faults and out-of-range values, naming the accepted ones', () => {
    expect(() => parseFaults(['explode=1'])).toThrow(
      /unknown fault "explode"; known: duplicate, failure, reorder, 5xx, jitter/,
    );
    expect(() => parseFaults(['failure=1.5'])).toThrow(/between 0 and 1/);
    expect(() => parseFaults(['p=0.5'])).toThrow(/applies to the fault before it/);
    expect(() => parseFaults(['outage=soon'])).toThrow(/--fault outage \(duration\)/);
  });
  it('parses API faults: latency with a probability, 5xx, outage and 429-storm windows', () => {
    expect(parseFaults(['latency=200ms,p=0.1', '5xx=0.02', 'outage=30s@10s', '429-storm=5s@1m'])).toEqual({
      duplicate: 0,
      failure: 0,
      reorder: 0,
      jitterMs: 0,
      latencyMs: 200,
      latencyP: 0.1,
      serverError: 0.02,
      outages: [{ startMs: 10_000, durationMs: 30_000 }],
      rateLimitStorms: [{ startMs: 60_000, durationMs: 5_000 }],
    });
  });
  it('expands named chaos profiles, and later specs override them', () => {
    expect(parseFaults(['flaky'])).toMatchObject({
      latencyMs: 300,
      latencyP: 0.1,
      serverError: 0.02,
      failure: 0.05,
    });
    expect(parseFaults(['regional-outage'])).toMatchObject({
      outages: [{ startMs: 10_000, durationMs: 20_000 }],
    });
    expect(parseFaults(['retry-storm', 'failure=0.1'])).toMatchObject({ failure: 0.1, duplicate: 0.1 });
  });
});

describe('HubSpot delivery parsing', () => {
  const event = {
    eventId: 7,
    subscriptionId: 3,
    portalId: 62515,
    appId: 1,
    occurredAt: 1_700_000_000_000,
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 1,
    objectId: 1001,
    propertyName: 'email',
    propertyValue: 'a@b.c',
  };
  it('keys events on the composite identity, not eventId alone', () => {
    const [parsed] = parseHubspotDelivery(Buffer.from(JSON.stringify([event])));
    expect(parsed).toMatchObject({
      key: '62515:3:1001:7:1700000000000',
      objectId: '1001',
      attempt: 1,
      action: 'update',
      fields: { email: 'a@b.c' },
    });
  });
  it('names what is wrong in a malformed body', () => {
    const bad = (body: string) => () => parseHubspotDelivery(Buffer.from(body));
    expect(bad('{not json')).toThrow(MalformedDeliveryError);
    expect(bad('{"eventId":1}')).toThrow(/JSON array/);
    expect(bad('[]')).toThrow(/empty array/);
    expect(bad(JSON.stringify([{ ...event, objectId: 'x' }]))).toThrow(
      /event \[0\]\.objectId must be a number/,
    );
  });
});
