import { describe, expect, it } from 'vitest';
import { BATCHING_VENDORS } from '../fuzz/hostile-bodies.js';
import { FUZZ_VENDORS, type FuzzReport, fuzzReceiver } from '../fuzz/receiver-fuzz.js';

// The receiver fuzz slice on the hostile cases (test/fuzz/hostile.ts), which each state the one
// status a careful receiver answers: too many events 413, a foreign content type 415, a body that
// is not UTF-8 400 (401 unsigned), JSON nested 100,000 deep 400, another spelling of the path 404.
// Then one long slice beside a thousand slowloris connections, for latency and memory.
const SEED = 20_261_207;
const CONCURRENCY = 64;
const MB = 1024 * 1024;

/** Statuses per hostile mutation family (the part of a mutation name before its first colon). */
function hostileStatuses(report: FuzzReport): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [name, statuses] of Object.entries(report.mutations)) {
    if (!/^(too-many-events|content-type:|invalid-utf8|deep-nesting|path-spelling)/.test(name)) continue;
    const family = out[name] ?? {};
    for (const [status, n] of Object.entries(statuses)) family[status] = (family[status] ?? 0) + n;
    out[name] = family;
  }
  return out;
}

describe('receiver fuzz slice: hostile deliveries', () => {
  it.each(FUZZ_VENDORS)(
    '%s: every hostile delivery gets its one status, no crash, no forgery',
    async (vendor) => {
      const deliveries = 8_000;
      const report = await fuzzReceiver({
        vendor,
        seed: SEED,
        deliveries,
        concurrency: CONCURRENCY,
        processor: false,
        progressIntervalMs: 60_000,
      });
      const hostile = hostileStatuses(report);
      console.log(
        `${vendor}: ${report.sent} deliveries in ${report.durationMs} ms, statuses ${JSON.stringify(report.statuses)}; ` +
          `hostile ${JSON.stringify(hostile)}`,
      );
      expect(report.sent).toBe(deliveries);
      expect(report.samples.statusMismatches).toEqual([]);
      expect(report.statusMismatches).toBe(0);
      expect(report.samples.crashes).toEqual([]);
      expect(report.samples.forged).toEqual([]);
      expect(report.samples.authenticRefused).toEqual([]);
      expect(report.healthy).toBe(true);
      // Each family was sent, and answered only as it should be.
      const families = Object.keys(hostile).map((name) => name.split(':')[0]);
      for (const family of ['content-type', 'invalid-utf8', 'path-spelling'])
        expect(families).toContain(family);
      if (BATCHING_VENDORS.includes(vendor))
        expect(Object.keys(hostile['too-many-events'] ?? {})).toEqual(['413']);
      expect(Object.keys(hostile['content-type:foreign'] ?? {})).toEqual(['415']);
      expect(Object.keys(hostile['content-type:own'] ?? {})).toEqual(['200']);
      expect(Object.keys(hostile['invalid-utf8'] ?? {})).toEqual(['400']);
      expect(Object.keys(hostile['path-spelling:signed-for-it'] ?? {})).toEqual(['404']);
      expect(Object.keys(hostile['path-spelling:signed-for-path'] ?? {})).toEqual(['404']);
    },
  );

  it('a long slice beside 1,000 slow-header connections: valid deliveries served, memory flat', async () => {
    const deliveries = 60_000;
    const report = await fuzzReceiver({
      vendor: 'hubspot',
      seed: SEED + 1,
      deliveries,
      concurrency: CONCURRENCY,
      processor: false,
      slowHeaderConnections: 1_000,
      memoryEvery: 5_000,
      progressIntervalMs: 60_000,
    });
    const { validLatencyMs: lat } = report;
    const points = report.memory.checkpoints;
    const mb = (n: number) => (n / MB).toFixed(1);
    console.log(
      `hubspot: ${report.sent} deliveries in ${report.durationMs} ms (${Math.round(report.deliveriesPerSecond)}/s) ` +
        `beside ${report.slowConnections?.opened} slow-header connections ` +
        `(${report.slowConnections?.closedByServer} closed by the server); ` +
        `${lat.count} valid: p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms, max ${lat.max.toFixed(1)} ms\n` +
        `memory (MB) before ${mb(report.memory.rssBefore)} rss; then every 5,000, rss/heap/external: ` +
        points.map((p) => `${mb(p.rss)}/${mb(p.heap)}/${mb(p.external)}`).join(' '),
    );
    expect(report.sent).toBe(deliveries);
    expect(report.slowConnections?.opened).toBe(1_000);
    expect(report.mutations.valid).toEqual({ '200': lat.count });
    expect(lat.count).toBeGreaterThan(deliveries / 10);
    expect(report.crashes).toBe(0);
    expect(report.forgedAccepted).toBe(0);
    expect(report.statusMismatches).toBe(0);
    expect(report.healthy).toBe(true);
    // Flat: the second 30,000 deliveries leave memory where the first left it. Medians of each
    // half's checkpoints (taken with nothing in flight, after a full GC), so the allocator's
    // high-water jumps when several 5 MB bodies meet do not count as growth; a leak of 1 KB per
    // delivery would move the second half 30 MB up.
    expect(points).toHaveLength(12);
    const growth = (of: (p: (typeof points)[number]) => number) =>
      median(points.slice(6).map(of)) - median(points.slice(0, 6).map(of));
    expect(growth((p) => p.heap)).toBeLessThan(4 * MB);
    expect(growth((p) => p.external)).toBeLessThan(16 * MB);
    expect(growth((p) => p.rss)).toBeLessThan(32 * MB);
  });
});

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 === 1
    ? (sorted[Math.floor(mid)] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
