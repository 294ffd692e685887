import { afterEach, describe, expect, it } from 'vitest';
import { hubspotApi } from '../../harness/vendors/hubspot/api.js';
import { type StartedMock, startMockHubspot, startReceiver } from '../helpers/servers.js';

/** Restarts the fault clock and starts an outage now, as a scenario does when its load starts. */
async function startOutage(m: StartedMock, duration: string): Promise<void> {
  await fetch(`${m.url}/__admin/fault-clock`, { method: 'POST' });
  const res = await fetch(`${m.url}/__admin/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ spec: [`outage=${duration}@0s`] }),
  });
  expect(res.status).toBe(200);
}

describe('API faults on the mock (every profile gets them; HubSpot answers in its own shape)', () => {
  let mock: StartedMock | undefined;
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  const get = (m: StartedMock) =>
    fetch(`${m.url}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${m.token}` } });

  it('answers 503 during an outage and serves again after it', async () => {
    mock = await startMockHubspot();
    await startOutage(mock, '1s');
    const down = await get(mock);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR' });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await get(mock)).status).toBe(200);
  });

  it('throttles everyone during a 429 storm, with HubSpot’s body and a Retry-After', async () => {
    mock = await startMockHubspot({ faults: { rateLimitStorms: [{ startMs: 0, durationMs: 5000 }] } });
    const res = await get(mock);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
  });

  it('fails a share of requests with 5xx, which the outbound client retries to success', async () => {
    // 20 % failures over 40 calls: a retry is near certain (1 - 0.8^40), and a call failing all
    // seven attempts is not (40 × 0.2^7 ≈ 0.05 %): chance decides neither way in practice.
    mock = await startMockHubspot({ faults: { serverError: 0.2 } });
    let retries = 0;
    const api = hubspotApi({
      baseUrl: mock.url,
      token: mock.token,
      onCall: (c) => {
        retries += c.retries;
      },
    });
    for (let i = 0; i < 40; i++) {
      const r = await api.batchUpsert('contacts', [{ externalId: `r${i}@x.io`, fields: { firstname: 'R' } }]);
      expect(r.created).toBe(1);
    }
    expect(retries).toBeGreaterThan(0);
  });

  it('holds webhook deliveries during an outage and delivers them after it', async () => {
    mock = await startMockHubspot();
    const receiver = await startReceiver([mock.secret]);
    try {
      const api = hubspotApi({ baseUrl: mock.url, token: mock.token });
      await api.configureWebhooks(receiver.url, {
        objectType: 'contacts',
        actions: ['update'],
        fields: ['poc_seq'],
      });
      const times: number[] = [];
      receiver.pipeline.events.on('accepted', (events) => {
        for (const _ of events) times.push(Date.now());
      });
      await startOutage(mock, '1s');
      // The API is down too: write through the firehose (changes made inside the vendor).
      const res = await fetch(`${mock.url}/__admin/firehose`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          objectType: 'contacts',
          inputs: [{ externalId: 'o@x.io', fields: { poc_seq: '1' } }],
        }),
      });
      expect(res.status).toBe(200);
      const postedAt = Date.now();
      while (times.length === 0 && Date.now() - postedAt < 5000) await new Promise((r) => setTimeout(r, 20));
      expect(times).toHaveLength(1);
      expect((times[0] ?? 0) - postedAt).toBeGreaterThan(700);
    } finally {
      await receiver.close();
    }
  });
});
