import { afterEach, describe, expect, it } from 'vitest';
import { nestedBody } from '../fuzz/hostile-bodies.js';
import { createRng } from '../fuzz/prng.js';
import { openSlowHeaderConnections } from '../fuzz/slow-clients.js';
import { FUZZ_TARGETS, type FuzzTarget } from '../fuzz/targets.js';
import { counterValue, postRaw, vendorHeaders } from '../helpers/receiver-client.js';
import { startReceiverFor } from '../helpers/servers.js';

// Limits the reference receiver already keeps, proved: a 50 MB body, JSON nested 100,000 deep,
// a thousand slowloris connections. Durations are printed, never asserted: the machine is shared.

type Receiver = Awaited<ReturnType<typeof startReceiverFor>>;
const target = (vendor: string) => FUZZ_TARGETS[vendor] as FuzzTarget;
const MB = 1024 * 1024;

let open: Receiver | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function start(vendor: string): Promise<Receiver> {
  open = await startReceiverFor(target(vendor).adapter, [target(vendor).secret], { processor: false });
  return open;
}

async function counted(r: Receiver, status: number, reason: string): Promise<number> {
  const text = await (await fetch(`${r.address}/metrics`)).text();
  return counterValue(
    text,
    'poc_webhook_receiver_requests_total',
    `status="${status}"`,
    `reason="${reason}"`,
  );
}

const percentile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Sends `n` valid deliveries, `concurrency` at a time; resolves with each one's status and time. */
async function validDeliveries(r: Receiver, t: FuzzTarget, n: number, first: number, concurrency = 8) {
  const rng = createRng(first);
  const results: { status: number; ms: number }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const body = t.body(rng, first + next++, t.secret);
      const url = `${r.address}${r.pipeline.path}`;
      const started = performance.now();
      const res = await fetch(url, { method: 'POST', headers: vendorHeaders(t, url, body), body });
      await res.arrayBuffer();
      results.push({ status: res.status, ms: performance.now() - started });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = results.map((x) => x.ms).sort((a, b) => a - b);
  return {
    statuses: results.map((x) => x.status),
    p50: percentile(ms, 0.5),
    p99: percentile(ms, 0.99),
    max: ms.at(-1) ?? 0,
  };
}

describe('receiver limits', () => {
  it.each([
    ['Content-Length', false],
    ['chunked', true],
  ] as const)(
    'a 50 MB body sent with %s gets 413, counted, and the receiver keeps serving',
    async (how, chunked) => {
      const t = target('hubspot');
      const r = await start('hubspot');
      const body = Buffer.alloc(50 * MB, 0x20);
      const headers = vendorHeaders(t, `${r.address}${r.pipeline.path}`, body);
      const answer = await postRaw(r.address, r.pipeline.path, headers, body, { chunked });
      console.log(`50 MB body (${how}): ${answer.status} in ${answer.ms.toFixed(1)} ms`);
      expect(answer.status, answer.text).toBe(413);
      expect(JSON.parse(answer.text)).toEqual({
        error: 'payload too large',
        reason: 'the body is over 5242880 bytes',
      });
      expect(await counted(r, 413, 'body_too_large')).toBe(1);
      expect((await validDeliveries(r, t, 5, 1)).statuses).toEqual([200, 200, 200, 200, 200]);
    },
  );

  it.each(Object.keys(FUZZ_TARGETS))(
    '%s: an authentic body nested 100,000 deep is refused, not a crash',
    async (vendor) => {
      const t = target(vendor);
      const r = await start(vendor);
      const body = nestedBody(t, 100_000);
      const answer = await postRaw(
        r.address,
        r.pipeline.path,
        vendorHeaders(t, `${r.address}${r.pipeline.path}`, body),
        body,
      );
      console.log(
        `${vendor}: ${body.length} bytes nested 100,000 deep: ${answer.status} in ${answer.ms.toFixed(1)} ms`,
      );
      // Salesforce's XML parser stops at depth 16, so the org id that identifies the delivery is
      // never read: the delivery is unidentified (401). The JSON vendors parse it and refuse it.
      if (vendor === 'salesforce') {
        expect(answer.status, answer.text).toBe(401);
        expect(await counted(r, 401, 'missing_signature')).toBe(1);
      } else {
        expect(answer.status, answer.text).toBe(400);
        expect(await counted(r, 400, 'malformed')).toBe(1);
      }
      expect(r.pipeline.db.prepare('SELECT COUNT(*) FROM queue').pluck().get()).toBe(0);
      expect((await validDeliveries(r, t, 3, 1)).statuses).toEqual([200, 200, 200]);
    },
  );

  it('1,000 slow-header connections leave valid deliveries served', async () => {
    const t = target('hubspot');
    const r = await start('hubspot');
    // A baseline from the same run, before the slow connections.
    const before = await validDeliveries(r, t, 200, 1_000);
    const slow = await openSlowHeaderConnections(r.address, r.pipeline.path, 1_000, 200);
    try {
      // Long enough for each slow connection to have sent a few more header lines.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const during = await validDeliveries(r, t, 200, 2_000);
      const ms = (x: { p50: number; p99: number; max: number }) =>
        `p50 ${x.p50.toFixed(1)} ms, p99 ${x.p99.toFixed(1)} ms, max ${x.max.toFixed(1)} ms`;
      console.log(
        `200 valid deliveries, 8 at a time: alone ${ms(before)}; beside ${slow.opened} slow-header ` +
          `connections ${ms(during)} (${slow.closedByServer} of them closed by the server so far)`,
      );
      expect(slow.opened).toBe(1_000);
      expect(before.statuses.every((s) => s === 200)).toBe(true);
      expect(during.statuses.filter((s) => s !== 200)).toEqual([]);
      expect(during.statuses).toHaveLength(200);
    } finally {
      slow.close();
    }
  });
});
