import jsforce from 'jsforce';
import { StreamingExtension } from 'jsforce/lib/api/streaming.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockSalesforce, waitUntil } from '../helpers/salesforce.js';
import type { StartedMock } from '../helpers/servers.js';

const CHANNEL = '/data/ContactChangeEvent';

interface ChangeMessage {
  payload: {
    ChangeEventHeader: { changeType: string; recordIds: string[]; changedFields: string[] };
  } & Record<string, unknown>;
  event: { replayId: number };
}

type FayeClient = ReturnType<jsforce.Connection['streaming']['createClient']>;

describe('mock Salesforce Change Data Capture over CometD (jsforce streaming)', () => {
  let mock: StartedMock;
  let conn: jsforce.Connection;
  const clients: FayeClient[] = [];

  beforeEach(async () => {
    // A short long-poll so the test's clients cycle quickly and close promptly.
    mock = await startMockSalesforce({ settings: { cometdTimeoutMs: 500 } });
    conn = new jsforce.Connection({ instanceUrl: mock.url, accessToken: mock.token, version: '66.0' });
  });
  afterEach(async () => {
    // faye's Client.disconnect is missing from jsforce's bundled typings.
    for (const c of clients.splice(0)) (c as unknown as { disconnect(): void }).disconnect();
    await mock.close();
  });

  /** Subscribes with a replay id and collects what arrives; resolves once the server accepted it. */
  async function subscribe(replayId: number) {
    const received: ChangeMessage[] = [];
    const client = conn.streaming.createClient([new StreamingExtension.Replay(CHANNEL, replayId)]);
    clients.push(client);
    // A faye Subscription is a promise: it settles when the server answers /meta/subscribe.
    await client.subscribe(CHANNEL, (m: ChangeMessage) => received.push(m));
    return received;
  }

  it('replays every retained event with -2, then streams new ones live with their changed fields', async () => {
    const created = await conn.sobject('Contact').create([
      { LastName: 'A', Poc_Ext_Id__c: 'a@x.io' },
      { LastName: 'B', Poc_Ext_Id__c: 'b@x.io' },
    ]);
    const received = await subscribe(-2);
    await waitUntil(() => received.length === 2);
    expect(received.map((m) => m.payload.ChangeEventHeader.changeType)).toEqual(['CREATE', 'CREATE']);
    expect(received.map((m) => m.payload.ChangeEventHeader.recordIds[0])).toEqual(created.map((c) => c.id));
    expect(received[1]?.event.replayId).toBeGreaterThan(
      received[0]?.event.replayId ?? Number.POSITIVE_INFINITY,
    );
    await conn.sobject('Contact').upsert({ Poc_Ext_Id__c: 'a@x.io', Poc_Seq__c: '42' }, 'Poc_Ext_Id__c');
    await waitUntil(() => received.length === 3);
    const update = received[2];
    expect(update?.payload.ChangeEventHeader).toMatchObject({
      changeType: 'UPDATE',
      changedFields: ['Poc_Seq__c', 'LastModifiedDate'],
    });
    expect(update?.payload.Poc_Seq__c).toBe('42');
    expect(update?.payload.LastName).toBeUndefined();
  });

  it('resumes after a replayId, and -1 hears only new events', async () => {
    for (const name of ['A', 'B', 'C']) await conn.sobject('Contact').create({ LastName: name });
    const all = await subscribe(-2);
    await waitUntil(() => all.length === 3);
    const after = await subscribe(all[0]?.event.replayId ?? 0);
    await waitUntil(() => after.length === 2);
    expect(after.map((m) => m.event.replayId)).toEqual(all.slice(1).map((m) => m.event.replayId));
    const fresh = await subscribe(-1);
    await conn.sobject('Contact').create({ LastName: 'D' });
    await waitUntil(() => fresh.length === 1 && all.length === 4);
    expect(fresh[0]?.payload.LastName).toBe('D');
  });

  it('refuses a replayId that is not retained, and a handshake without a valid session', async () => {
    await conn.sobject('Contact').create({ LastName: 'A' });
    await expect(subscribe(999_999)).rejects.toThrow(/replayId \{999999\} you provided was invalid/);
    const denied = new Promise<{ error: string }>((resolve) => {
      const bad = new jsforce.Connection({ instanceUrl: mock.url, accessToken: 'expired', version: '66.0' });
      const client = bad.streaming.createClient([new StreamingExtension.AuthFailure(resolve)]);
      clients.push(client);
      client.subscribe(CHANNEL, () => {});
    });
    expect((await denied).error).toMatch(/^401::/);
  });
});
