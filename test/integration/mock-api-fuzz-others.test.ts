import { describe, expect, it } from 'vitest';
import { fuzzMockApi, type MockApiFuzzReport, OTHER_MOCK_API_VENDORS } from '../fuzz/mock-api-fuzz.js';

// The mock-API fuzzer's second fixed-seed slice, over the Dataverse, Pipedrive and Zoho emulations
// (mock-api-fuzz.test.ts has the first, and the fuzzer's own oracle checks): paths near the real
// ones (percent-encoded, doubled and encoded slashes, dot segments, case, delimiters), junk
// queries, near-miss and malformed credentials, odd headers, mangled and swollen bodies. First with
// no valid credential anywhere (only refusals, and the valid one reads back the same state
// afterwards), then with it on 60 % of requests (the handlers run). No fault is injected, so any
// 5xx is a crash.
const SEED = 20_261_204;
const WITHOUT_TOKEN = 5_000;
const MIXED = 12_000;
/**
 * Route patterns each emulation serves; the mixed slice must reach all of them. Dataverse routes
 * its whole Web API through one wildcard (OData keys sit inside path segments) next to the token
 * endpoint.
 */
const ROUTES: Readonly<Record<string, number>> = { dynamics: 2, pipedrive: 12, zoho: 10 };
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

describe('mock API fuzz slice: Dataverse, Pipedrive, Zoho', () => {
  it('fuzzes every emulation this slice covers', () => {
    expect([...OTHER_MOCK_API_VENDORS].sort()).toEqual(['dynamics', 'pipedrive', 'zoho']);
  });

  // Zoho's token endpoint answers a bad grant 200 with {"error"}: the oracle lets exactly those by.
  it('still reports 2xx without a token on Zoho when the gate lets everyone in', async () => {
    const open = await fuzzMockApi({
      vendor: 'zoho',
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
  });

  it.each(OTHER_MOCK_API_VENDORS)(
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

  it.each(OTHER_MOCK_API_VENDORS)(
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
