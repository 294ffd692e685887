import { describe, expect, it } from 'vitest';
import { fuzzMockApi, MOCK_API_VENDORS, type MockApiFuzzReport } from '../fuzz/mock-api-fuzz.js';

// A fixed-seed slice of the mock-API fuzzer over the emulations' public routes: paths near the
// real ones (percent-encoded, doubled and encoded slashes, dot segments, case, delimiters), junk
// queries, near-miss and malformed credentials, odd headers, mangled and swollen bodies. First
// with no valid credential anywhere (only refusals, and the valid token reads back the same state
// afterwards), then with it on 60 % of requests (the handlers run). No fault is injected, so any
// 5xx is a crash.
const SEED = 20_261_203;
const WITHOUT_TOKEN = 5_000;
const MIXED = 12_000;
/** Route patterns each emulation serves; the mixed slice must reach all of them. */
const ROUTES: Readonly<Record<string, number>> = { hubspot: 9, salesforce: 23, standard: 7 };
const CONCURRENCY = 32;
const MB = 1024 * 1024;

function summary(report: MockApiFuzzReport): string {
  const growth = Math.max(report.memory.rssAfter - report.memory.rssBefore, 0);
  return (
    `${report.vendor}: ${report.sent} requests in ${report.durationMs} ms (${Math.round(report.requestsPerSecond)}/s), ` +
    `statuses ${JSON.stringify(report.statuses)}, 2xx with the token ${report.authorizedSuccess}, ` +
    `routes reached ${report.routesReached.length}, rss +${(growth / MB).toFixed(1)} MB, ` +
    `heap ${((report.memory.heapAfter - report.memory.heapBefore) / MB).toFixed(1)} MB`
  );
}

describe('mock API fuzz slice', () => {
  // The oracle itself: a gate that lets everyone in, or a handler that throws, must be caught.
  it('reports 2xx without a token when the gate lets everyone in, and crashes when a handler throws', async () => {
    const open = await fuzzMockApi({
      vendor: 'hubspot',
      seed: SEED,
      requests: 2_000,
      concurrency: CONCURRENCY,
      mix: { validShare: 0 },
      plant: (app) =>
        app.addHook('onSend', async (_req, reply, payload) => {
          if (reply.statusCode === 401) void reply.code(200);
          return payload;
        }),
    });
    expect(open.unauthorizedSuccess).toBeGreaterThan(100);
    expect(open.samples.unauthorized[0]?.status).toBe(200);
    const throwing = await fuzzMockApi({
      vendor: 'standard',
      seed: SEED,
      requests: 2_000,
      concurrency: CONCURRENCY,
      mix: { validShare: 0.6 },
      plant: (app) =>
        app.addHook('preHandler', async (req) => {
          if (Number(req.headers['x-fuzz-id']) % 7 === 0) throw new TypeError('planted');
        }),
    });
    expect(throwing.crashes).toBeGreaterThan(10);
    expect(throwing.samples.crashes[0]?.status).toBe(500);
    expect(throwing.healthy).toBe(true);
  });

  it('fuzzes every emulation this slice covers', () => {
    expect([...MOCK_API_VENDORS].sort()).toEqual(['hubspot', 'salesforce', 'standard']);
  });

  it.each(MOCK_API_VENDORS)(
    '%s without a valid credential: no 2xx where one is needed, no crash, nothing written',
    async (vendor) => {
      const report = await fuzzMockApi({
        vendor,
        seed: SEED,
        requests: WITHOUT_TOKEN,
        concurrency: CONCURRENCY,
        mix: { validShare: 0 },
      });
      console.log(summary(report));
      expect(report.sent).toBe(WITHOUT_TOKEN);
      expect(report.samples.unauthorized).toEqual([]);
      expect(report.unauthorizedSuccess).toBe(0);
      expect(report.samples.crashes).toEqual([]);
      expect(report.crashes).toBe(0);
      expect(report.healthy).toBe(true);
      expect(report.authorizedSuccess).toBe(0);
      // Most requests met the gate and its 401; what the token reads back is what it read before.
      expect(report.statuses['401'] ?? 0).toBeGreaterThan(WITHOUT_TOKEN / 2);
      expect(report.stateAfter).toEqual(report.stateBefore);
    },
  );

  it.each(MOCK_API_VENDORS)(
    '%s with and without the token: no 5xx, no 2xx without it, still answering, memory bounded',
    async (vendor) => {
      const report = await fuzzMockApi({
        vendor,
        seed: SEED + 1,
        requests: MIXED,
        concurrency: CONCURRENCY,
        mix: { validShare: 0.6 },
      });
      console.log(summary(report));
      const growth = Math.max(report.memory.rssAfter - report.memory.rssBefore, 0);
      expect(report.sent).toBe(MIXED);
      expect(report.samples.crashes).toEqual([]);
      expect(report.crashes).toBe(0);
      expect(report.samples.unauthorized).toEqual([]);
      expect(report.unauthorizedSuccess).toBe(0);
      expect(report.healthy).toBe(true);
      // The handlers were reached, and wrote: the slice is not all refusals.
      expect(report.authorizedSuccess).toBeGreaterThan(MIXED / 50);
      expect(report.routesReached).toHaveLength(ROUTES[vendor] ?? Number.NaN);
      expect(report.stateAfter).not.toEqual(report.stateBefore);
      expect(growth).toBeLessThan(100 * MB);
      expect(report.memory.heapAfter - report.memory.heapBefore).toBeLessThan(100 * MB);
    },
  );
});
