import { describe, expect, it } from 'vitest';
import { salesforceApi } from '../../harness/vendors/salesforce/api.js';
import type { FeedChange } from '../../harness/vendors/types.js';
import {
  acceptedEvents,
  type Change,
  drain,
  expectKeysetOrder,
  firehose,
  second,
  useRecoveryTarget,
} from '../helpers/recovery.js';
import {
  startMockSalesforce,
  startSalesforceReceiver,
  TEST_ORG_ID,
  waitUntil,
} from '../helpers/salesforce.js';
import type { StartedMock } from '../helpers/servers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The largest SOQL batch, and the one Salesforce answers with by default. */
const PAGE = 2000;

async function truth(mock: StartedMock): Promise<{ emitted: number }> {
  return (await (await fetch(`${mock.url}/__admin/truth`)).json()) as { emitted: number };
}

function people(prefix: string, n: number): Change[] {
  return Array.from({ length: n }, (_, i) => ({
    externalId: `${prefix}${i}@x.io`,
    fields: { email: `${prefix}${i}@x.io`, lastname: `L${prefix}${i}`, poc_seq: String(i) },
  }));
}

describe('Salesforce recovery: snapshot, modified-since, deletes and CDC replay against the mock', () => {
  // A short CometD long-poll, so the change feed's clients close promptly.
  const target = useRecoveryTarget(
    () => startMockSalesforce({ settings: { cometdTimeoutMs: 500 } }),
    salesforceApi,
  );

  it('listRecords pages through 2.5 batches of 2,000 with nothing missing or repeated', async () => {
    const { mock, api } = target;
    const inputs = people('a', 2.5 * PAGE);
    await firehose(mock, inputs, Date.now() - 10 * DAY);
    const { sizes, records: all } = await drain((cursor) => api.listRecords('contacts', cursor));
    expect(sizes).toEqual([PAGE, PAGE, PAGE / 2]);
    expect(new Set(all.map((r) => r.id)).size).toBe(inputs.length);
    expect(new Set(all.map((r) => r.fields.email))).toEqual(new Set(inputs.map((i) => i.externalId)));
    const sample = all.find((r) => r.fields.email === 'a1234@x.io');
    expect(sample?.fields).toEqual({ email: 'a1234@x.io', lastname: 'La1234', poc_seq: '1234' });
    expect(sample?.id).toMatch(/^003[0-9A-Za-z]{15}$/);
  });

  it('listModifiedSince returns exactly the records stamped at or after the second of `since`, ascending, a 300-record tie across a page boundary included', async () => {
    const { mock, api } = target;
    const t0 = second(Date.now() - 5 * DAY) + 123;
    const t1 = t0 + 60_000;
    const t2 = t1 + 60_000;
    await firehose(mock, people('old', 200), t0 - DAY);
    await firehose(mock, people('b', 1900), t0);
    // 300 records in one second: the first page (2,000) ends inside this group.
    await firehose(mock, people('tie', 300), t1 + 400);
    await firehose(mock, people('c', 100), t2);
    // 50 of the t0 group edited at t2 move to the end.
    const edited = people('b', 50).map((p) => ({ ...p, fields: { phone: `+1 555 ${p.fields?.poc_seq}` } }));
    // t2 is 123 ms into its second; 800 ms later is still the same second.
    await firehose(mock, edited, t2 + 800);

    const {
      pages,
      sizes,
      records: all,
    } = await drain((cursor) => api.listModifiedSince('contacts', t0 + 500, cursor));
    expect(sizes).toEqual([PAGE, 1900 + 300 + 100 - PAGE]);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    // Ascending by modified time, ties by id: the order a fresh query repeats.
    expectKeysetOrder(all, 'text');
    const tie = all.filter((r) => r.fields.email?.startsWith('tie'));
    expect(tie).toHaveLength(300);
    expect(new Set(tie.map((r) => r.modifiedAt))).toEqual(new Set([second(t1)]));
    // 1,850 unedited t0 records, then the first 150 of the tie.
    expect(pages[0]?.filter((r) => r.fields.email?.startsWith('tie')).length).toBe(150);
    expect(all.some((r) => r.fields.email?.startsWith('old'))).toBe(false);
    const moved = all.filter((r) => r.fields.phone !== undefined);
    expect(moved).toHaveLength(50);
    expect(new Set(moved.map((r) => r.modifiedAt))).toEqual(new Set([second(t2)]));

    // Keyset as the backfill does it: a fresh query from the tie's timestamp gets the tie again.
    const fresh = (await drain((cursor) => api.listModifiedSince('contacts', second(t1), cursor))).records;
    expect(fresh).toHaveLength(300 + 100 + 50);
    expect(fresh.slice(0, 300).map((r) => r.id)).toEqual(tie.map((r) => r.id));
    expect(await api.listModifiedSince('contacts', t2 + 1000, undefined)).toEqual({ records: [] });
  });

  it('a delete leaves listRecords, enters listDeletedSince, and sends no Outbound Message; a merge deletes the loser only', async () => {
    const { mock, api } = target;
    const receiver = await startSalesforceReceiver([TEST_ORG_ID]);
    try {
      await api.configureWebhooks(receiver.url, {
        objectType: 'contacts',
        actions: ['create', 'update', 'delete'],
        fields: ['email', 'firstname', 'lastname', 'phone'],
      });
      const events = acceptedEvents(receiver);
      const base = second(Date.now() - 2 * DAY);
      await firehose(mock, people('d', 4), base);
      await waitUntil(() => events.length === 4);
      const before = (await api.listRecords('contacts', undefined)).records;
      const idOf = (email: string) => before.find((r) => r.fields.email === email)?.id ?? '';

      await firehose(
        mock,
        [
          { externalId: 'd0@x.io', deleted: true },
          { externalId: 'nobody@x.io', deleted: true },
        ],
        base + HOUR + 250,
      );
      // Workflow rules never run on delete, so no notification is even queued.
      expect((await truth(mock)).emitted).toBe(4);
      await firehose(mock, [{ externalId: 'd1@x.io', mergeInto: 'd2@x.io' }], base + 2 * HOUR);
      await waitUntil(() => events.length === 5);

      const live = (await api.listRecords('contacts', undefined)).records;
      expect(live.map((r) => r.fields.email).sort()).toEqual(['d2@x.io', 'd3@x.io']);
      expect(live.find((r) => r.id === idOf('d2@x.io'))).toMatchObject({
        modifiedAt: base + 2 * HOUR,
        fields: { email: 'd2@x.io', lastname: 'Ld2', poc_seq: '2' },
      });
      const deleted = (await api.listDeletedSince?.('contacts', base + 30 * 60_000, undefined))?.records;
      expect(deleted).toEqual([
        { id: idOf('d0@x.io'), deletedAt: base + HOUR },
        { id: idOf('d1@x.io'), deletedAt: base + 2 * HOUR },
      ]);
      expect((await api.listDeletedSince?.('contacts', base + 2 * HOUR + 1000, undefined))?.records).toEqual(
        [],
      );
      // The merge's winner is saved: its Outbound Message parses to an update with its own values.
      expect(events[4]).toMatchObject({
        objectId: idOf('d2@x.io'),
        action: 'update',
        occurredAt: base + 2 * HOUR,
        fields: { email: 'd2@x.io', lastname: 'Ld2' },
      });
      expect(events.every((e) => e.action === 'update')).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('serves sObject Get Deleted with deletedDate from the Recycle Bin', async () => {
    const { mock } = target;
    const at = second(Date.now() - DAY);
    await firehose(mock, people('g', 2), at - HOUR);
    await firehose(mock, [{ externalId: 'g0@x.io', deleted: true }], at);
    const url = (start: number, end: number) =>
      `${mock.url}/services/data/v66.0/sobjects/Contact/deleted/?start=${encodeURIComponent(new Date(start).toISOString())}&end=${encodeURIComponent(new Date(end).toISOString())}`;
    const headers = { authorization: `Bearer ${mock.token}` };
    const body = (await (await fetch(url(at - 60_000, at + 60_000), { headers })).json()) as {
      deletedRecords: { id: string; deletedDate: string }[];
    };
    expect(body.deletedRecords).toHaveLength(1);
    expect(Date.parse(body.deletedRecords[0]?.deletedDate ?? '')).toBe(at);
    const reversed = await fetch(url(at, at - 60_000), { headers });
    expect(reversed.status).toBe(400);
    expect(await reversed.json()).toMatchObject([{ errorCode: 'INVALID_REPLICATION_DATE' }]);
  });

  it('changeFeed: current, then changes, read returns them with deletes and merges, and an unretained replayId is expired', async () => {
    const { mock, api } = target;
    const feed = api.changeFeed;
    if (!feed) throw new Error('Salesforce has a change feed');
    expect(feed.kind).toBe('replay-id');
    // Out of retention by the time the test reads: published 80 h and 79 h ago.
    await firehose(mock, people('x', 2), Date.now() - 80 * HOUR);
    await firehose(mock, [{ externalId: 'x0@x.io', fields: { phone: '1' } }], Date.now() - 79 * HOUR);
    // Nothing retained: no replayId a pipeline could still resume from.
    expect(await feed.current('contacts')).toBeUndefined();
    await firehose(mock, people('e', 3), Date.now() - 2 * HOUR);
    const start = (await feed.current('contacts')) as string;
    expect(Number(start)).toBeGreaterThan(3);

    const t = second(Date.now() - HOUR);
    await firehose(mock, people('f', 1), t);
    await firehose(mock, [{ externalId: 'e0@x.io', fields: { phone: '+1 555 0100' } }], t + 1000);
    await firehose(mock, [{ externalId: 'e1@x.io', deleted: true }], t + 2000);
    await firehose(mock, [{ externalId: 'e2@x.io', mergeInto: 'e0@x.io' }], t + 3000);
    const ids = new Map(
      (await api.listRecords('contacts', undefined)).records.map((r) => [r.fields.email, r.id]),
    );
    const gone = (await api.listDeletedSince?.('contacts', t, undefined))?.records.map((r) => r.id) ?? [];
    expect(gone).toHaveLength(2);

    const page = await feed.read('contacts', start);
    if (page.expired) throw new Error(page.detail);
    const shape = (c: FeedChange) =>
      c.deleted
        ? { deleted: true, id: c.id, at: c.deletedAt }
        : { deleted: false, id: c.id, at: c.modifiedAt, fields: c.fields };
    expect(page.changes.map(shape)).toEqual([
      {
        deleted: false,
        id: ids.get('f0@x.io'),
        at: t,
        fields: { email: 'f0@x.io', lastname: 'Lf0', poc_seq: '0' },
      },
      { deleted: false, id: ids.get('e0@x.io'), at: t + 1000, fields: { phone: '+1 555 0100' } },
      { deleted: true, id: gone[0], at: t + 2000 },
      // A merge: DELETE for the loser, then UPDATE for the winner (nothing but its stamp changed).
      { deleted: true, id: gone[1], at: t + 3000 },
      { deleted: false, id: ids.get('e0@x.io'), at: t + 3000, fields: {} },
    ]);
    expect(page.more).toBe(false);
    const again = await feed.read('contacts', page.position);
    expect(again).toEqual({ expired: false, changes: [], position: page.position, more: false });
    expect(await feed.current('contacts')).toBe(page.position);

    const stale = await feed.read('contacts', '1');
    expect(stale).toEqual({
      expired: true,
      detail: expect.stringMatching(/replayId \{1\} you provided was invalid/),
    });
  });
});
