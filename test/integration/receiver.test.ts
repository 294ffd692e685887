import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signV3 } from '../../harness/vendors/hubspot/signature.js';
import { startReceiver } from '../helpers/servers.js';
import { waitUntil } from '../helpers/wait.js';

const SECRET = 'receiver-test-secret';

function event(eventId: number, overrides: Record<string, unknown> = {}) {
  return {
    eventId,
    subscriptionId: 1,
    portalId: 62515,
    appId: 54321,
    occurredAt: 1_700_000_000_000 + eventId,
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: 1000 + (eventId % 7),
    changeSource: 'API',
    propertyName: 'poc_seq',
    propertyValue: `v${eventId}`,
    ...overrides,
  };
}

describe('reference receiver on loopback', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeEach(async () => {
    receiver = await startReceiver([SECRET]);
  });
  afterEach(async () => {
    await receiver.close();
  });

  async function post(body: string, opts: { secret?: string; timestamp?: number; signBody?: string } = {}) {
    const timestamp = opts.timestamp ?? Date.now();
    const signature = signV3(opts.secret ?? SECRET, {
      method: 'POST',
      url: receiver.url,
      body: opts.signBody ?? body,
      timestamp,
    });
    return fetch(receiver.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': String(timestamp),
      },
      body,
    });
  }

  async function metric(name: string, labels = ''): Promise<number> {
    const text = await (await fetch(`${receiver.address}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(name) && l.includes(labels));
    return line ? Number(line.split(' ').at(-1)) : 0;
  }

  it('accepts a valid delivery, applies it once, and drops a repeated delivery as duplicate', async () => {
    const body = JSON.stringify([event(1), event(2)]);
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 2, duplicates: 0 });
    const again = await post(body);
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 2 });
    await waitUntil(() => receiver.pipeline.inbox.depth === 0);
    const rows = receiver.pipeline.db.prepare('SELECT SUM(events_applied) AS n FROM records').get() as {
      n: number;
    };
    expect(rows.n).toBe(2);
    expect(await metric('poc_webhook_receiver_duplicates_total')).toBe(2);
  });

  it('rejects a tampered body, a wrong secret, a stale timestamp and re-serialised JSON with 401, counted', async () => {
    const body = JSON.stringify([event(10)]);
    const tampered = body.replace('v10', 'v11');
    expect((await post(tampered, { signBody: body })).status).toBe(401);
    expect((await post(body, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await post(body, { timestamp: Date.now() - 6 * 60_000 })).status).toBe(401);
    const reserialised = JSON.stringify(JSON.parse(body), null, 2);
    expect((await post(reserialised, { signBody: body })).status).toBe(401);
    const missing = await fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(missing.status).toBe(401);
    expect(await metric('poc_webhook_receiver_requests_total', 'reason="bad_signature"')).toBe(3);
    expect(await metric('poc_webhook_receiver_requests_total', 'reason="stale_timestamp"')).toBe(1);
    expect(await metric('poc_webhook_receiver_requests_total', 'reason="missing_signature"')).toBe(1);
    expect(receiver.pipeline.db.prepare('SELECT COUNT(*) FROM dedupe').pluck().get()).toBe(0);
    // Still serving after the attacks.
    expect((await post(body)).status).toBe(200);
  });

  it('answers 400 to malformed bodies that are correctly signed, counted, and keeps serving', async () => {
    for (const body of ['{not json', '{"eventId":1}', '[]', JSON.stringify([{ eventId: 'x' }]), '']) {
      const res = await post(body);
      expect(res.status).toBe(400);
    }
    expect(await metric('poc_webhook_receiver_requests_total', 'status="400"')).toBe(5);
    expect((await post(JSON.stringify([event(20)]))).status).toBe(200);
  });

  it('sends unprocessable events to the dead-letter table with the reason', async () => {
    const res = await post(
      JSON.stringify([event(30, { subscriptionType: 'contact.teleported' }), event(31)]),
    );
    expect(res.status).toBe(200);
    await waitUntil(() => receiver.pipeline.inbox.depth === 0);
    const dead = receiver.pipeline.db.prepare('SELECT event_key, reason FROM dead_letter').all();
    expect(dead).toEqual([
      {
        event_key: `62515:1:${1000 + (30 % 7)}:30:${1_700_000_000_030}`,
        reason: 'cannot apply contact.teleported: unsupported type or missing field values',
      },
    ]);
    expect(await metric('poc_webhook_dead_letters_total')).toBe(1);
    expect(await metric('poc_webhook_events_applied_total')).toBe(1);
  });

  it('labels every metric with run, vendor, scenario and target', async () => {
    await post(JSON.stringify([event(40)]));
    const text = await (await fetch(`${receiver.address}/metrics`)).text();
    expect(text).toMatch(
      /poc_webhook_receiver_events_total\{run_id="test",vendor="hubspot",scenario="test",target="mock"\} 1/,
    );
  });
});
