import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrivalRate } from '../../harness/load/arrival-rate.js';
import { ClientRateLimiter } from '../../harness/pipeline/outbound/rate-limit.js';
import { hubspotApi } from '../../harness/vendors/hubspot/api.js';
import { type StartedMock, startMockHubspot } from '../helpers/servers.js';

// Time is compressed 10x: a 100 ms window stands for HubSpot-like 1 s windows, so 3 s of real
// time is 30 s of simulated traffic.
const WINDOW_MS = 100;
const LIMIT = 10; // 100 requests/s

describe('outbound client living within a vendor’s limits', () => {
  let mock: StartedMock;
  const attempts: { at: number; status: number }[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    // Stamped when sent, so the pacing check below sees the limiter's grants, not the answers.
    const attempt = { at: Date.now(), status: 0 };
    attempts.push(attempt);
    const res = await fetch(input, init);
    attempt.status = res.status;
    return res;
  };

  beforeAll(async () => {
    mock = await startMockHubspot({
      settings: { rateLimit: { style: 'sliding', limit: LIMIT, windowMs: WINDOW_MS } },
    });
  });
  afterAll(async () => {
    await mock.close();
  });

  it('driven at 3x the limit for 30 s of simulated time: every write done, paced by the limiter, 429s a small minority', async () => {
    // 80 % of the limit with a small burst: a stalled event loop cannot release a window's worth at once.
    const perSecond = (LIMIT / WINDOW_MS) * 1000 * 0.8;
    const burst = 3;
    const limiter = new ClientRateLimiter(perSecond, burst);
    const api = hubspotApi({ baseUrl: mock.url, token: mock.token, fetch: recordingFetch, limiter });
    const started = Date.now();
    const load = await new ArrivalRate({
      iterationsPerSec: 3 * (LIMIT / WINDOW_MS) * 1000,
      durationMs: 3000,
      maxInFlight: 100_000,
      iteration: (i) =>
        api
          .batchUpsert('contacts', [{ externalId: `w${i}@x.io`, fields: { firstname: 'W' } }])
          .then(() => undefined),
    }).run();
    expect(load.dropped).toBe(0);
    expect(load.failed).toBe(0);
    expect(load.completed).toBe(load.started);

    // Paced: never faster than the limiter's rate over the run. Unpaced, the 900 writes would go
    // out at the offered 300/s. The 10 % slack covers a first send stamped late on a busy machine.
    const first = attempts[0]?.at ?? started;
    const spanS = ((attempts.at(-1)?.at ?? first) - first) / 1000;
    expect(attempts.length - burst).toBeLessThanOrEqual(perSecond * spanS * 1.1);

    // A small minority of 429s, not the exact share: that is the bench's to measure
    // (bench/outbound-limiter.bench.js: 1 to 3 % at a load average of 10 on 2 cores), since it
    // depends on how late the machine fires timers. Unpaced, at least 2 in 3 attempts would be
    // 429s: the vendor admits 100/s of the 300/s offered. 10 % cannot flake before the test
    // times out: HubSpot sends no Retry-After, so each 429 pauses every writer for 1 s, and the
    // 100 or so 429s that 10 % of ~1000 attempts means would add 100 s to this 11 s run.
    const afterFirstWindow = attempts.filter((a) => a.at > started + WINDOW_MS);
    const throttled = afterFirstWindow.filter((a) => a.status === 429).length;
    expect(throttled / afterFirstWindow.length).toBeLessThan(0.1);
    const stored = await fetch(`${mock.url}/__admin/truth`).then(
      (r) => r.json() as Promise<{ apiRequests: number }>,
    );
    expect(stored.apiRequests).toBe(attempts.length);
  });

  it('does not retry a 4xx other than 429', async () => {
    // Let the window left full by the previous test roll over first.
    await new Promise((r) => setTimeout(r, 3 * WINDOW_MS));
    attempts.length = 0;
    const api = hubspotApi({ baseUrl: mock.url, token: mock.token, fetch: recordingFetch });
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ externalId: `x${i}@x.io`, fields: {} }));
    await expect(api.batchUpsert('contacts', tooMany)).rejects.toMatchObject({ code: 'POC_ERR_VENDOR_HTTP' });
    expect(attempts.map((a) => a.status)).toEqual([400]);
    const wrongToken = hubspotApi({ baseUrl: mock.url, token: 'revoked', fetch: recordingFetch });
    await expect(wrongToken.batchUpsert('contacts', tooMany.slice(0, 1))).rejects.toThrow(
      /answered 401 after 0 retries/,
    );
    expect(attempts.map((a) => a.status)).toEqual([400, 401]);
  });
});
