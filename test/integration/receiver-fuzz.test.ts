import { describe, expect, it } from 'vitest';
import { VENDORS } from '../../harness/vendors/index.js';
import { FUZZ_VENDORS, type FuzzReport, fuzzReceiver } from '../fuzz/receiver-fuzz.js';

// A fixed-seed slice of the receiver fuzzer (bench/fuzz.js runs it for minutes): at least 100,000
// deliveries across every vendor, split evenly. The processor is disabled (`processor: false`):
// it runs after the 200 and cannot change a status, and leaving it off keeps the slice fast.
// Lenient acceptances (the secret present, the scheme's shape rules bent) and 503s are logged, not
// failed: neither is a forgery or a crash.
const SEED = 20_261_123;
const TOTAL = 102_000;
const CONCURRENCY = 64;
const MB = 1024 * 1024;

describe('receiver fuzz slice', () => {
  // The oracle itself: a receiver that verifies nothing, or whose parser throws, must be caught.
  it('reports forged deliveries when verify accepts everything, and crashes when verify throws', async () => {
    const forging = await fuzzReceiver({
      vendor: 'hubspot',
      seed: SEED,
      deliveries: 2_000,
      concurrency: CONCURRENCY,
      processor: false,
      wrapScheme: (scheme) => ({ ...scheme, verify: () => ({ ok: true }) }),
    });
    expect(forging.forgedAccepted).toBeGreaterThan(100);
    expect(forging.samples.forged[0]?.status).toBe(200);
    const crashing = await fuzzReceiver({
      vendor: 'zoho',
      seed: SEED,
      deliveries: 2_000,
      concurrency: CONCURRENCY,
      processor: false,
      wrapScheme: (scheme) => ({
        ...scheme,
        // The receiver turns any parse error into a 400; a throwing verify is a 500.
        verify: (delivery, now) => {
          if (delivery.body.length % 7 === 0) throw new TypeError('planted');
          return scheme.verify(delivery, now);
        },
      }),
    });
    expect(crashing.crashes).toBeGreaterThan(10);
    expect(crashing.samples.crashes[0]?.status).toBe(500);
    expect(crashing.healthy).toBe(true);
  });

  it('fuzzes a receiver for every registered vendor', () => {
    expect([...FUZZ_VENDORS].sort()).toEqual(Object.keys(VENDORS).sort());
  });

  it.each(FUZZ_VENDORS)(
    '%s: no crash, no forged delivery accepted, still answering, memory bounded',
    async (vendor) => {
      const deliveries = Math.ceil(TOTAL / FUZZ_VENDORS.length);
      const report: FuzzReport = await fuzzReceiver({
        vendor,
        seed: SEED,
        deliveries,
        concurrency: CONCURRENCY,
        processor: false,
        progressIntervalMs: 60_000,
      });
      const growth = Math.max(report.memory.rssAfter - report.memory.rssBefore, 0);
      console.log(
        `${vendor}: ${report.sent} deliveries in ${report.durationMs} ms (${Math.round(report.deliveriesPerSecond)}/s), ` +
          `statuses ${JSON.stringify(report.statuses)}, rss +${(growth / MB).toFixed(1)} MB, ` +
          `heap ${((report.memory.heapAfter - report.memory.heapBefore) / MB).toFixed(1)} MB, ` +
          `lenient ${report.lenientAccepted}, authentic answered 503 ${report.authenticUnavailable}`,
      );
      expect(report.sent).toBe(deliveries);
      expect(report.samples.crashes).toEqual([]);
      expect(report.crashes).toBe(0);
      expect(report.samples.forged).toEqual([]);
      expect(report.forgedAccepted).toBe(0);
      expect(report.samples.authenticRefused).toEqual([]);
      expect(report.healthy).toBe(true);
      // Every kind was exercised, and authentic deliveries really got through.
      expect(report.kinds.valid).toBeGreaterThan(deliveries / 10);
      expect(report.kinds.mutation).toBeGreaterThan(deliveries / 2);
      expect(report.kinds.random).toBeGreaterThan(deliveries / 50);
      expect(report.eventsAccepted).toBeGreaterThan(0);
      expect(growth).toBeLessThan(100 * MB);
      expect(report.memory.heapAfter - report.memory.heapBefore).toBeLessThan(100 * MB);
    },
  );
});
