import { Client } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { hubspotApi } from '../../harness/vendors/hubspot/api.js';
import { parseHubspotDelivery } from '../../harness/vendors/hubspot/events.js';
import type { CrmApi, RecordState, VendorEvent } from '../../harness/vendors/types.js';
import type { CanonicalInput } from '../../mock-vendor/emulation.js';
import { captureHubspotEvents, firehose } from '../helpers/hubspot.js';
import { drain, useRecoveryTarget } from '../helpers/recovery.js';
import { startMockHubspot } from '../helpers/servers.js';
import { waitUntil } from '../helpers/wait.js';

const DAY = 86_400_000;
const SUBSCRIPTION = {
  objectType: 'contacts',
  actions: ['create', 'update', 'delete'],
  fields: ['email', 'firstname', 'lastname', 'phone'],
} as const;

function contact(email: string, n: number): CanonicalInput {
  return {
    externalId: email,
    fields: { email, firstname: `F${n}`, lastname: `L${n}`, phone: `+1555${n}`, poc_seq: String(n) },
  };
}

function contacts(prefix: string, count: number): CanonicalInput[] {
  return Array.from({ length: count }, (_, i) => contact(`${prefix}${i}@x.io`, i));
}

const modifiedSince = async (api: CrmApi, since: number) =>
  (await drain((cursor) => api.listModifiedSince('contacts', since, cursor))).records;
const allRecords = async (api: CrmApi) =>
  (await drain((cursor) => api.listRecords('contacts', cursor))).records;

describe('HubSpot recovery: list, modified-since, archived, deletes and merges through the adapter', () => {
  const target = useRecoveryTarget(startMockHubspot, hubspotApi);

  it('listRecords pages through 250 contacts 100 at a time, none missing or repeated while some are archived mid-way', async () => {
    const { mock, api } = target;
    const at = Date.now() - 20 * DAY;
    const inputs = contacts('list', 250);
    await firehose(mock.url, inputs, at);
    const first = await api.listRecords('contacts', undefined);
    expect(first.records).toHaveLength(100);
    // One already read and one not yet read leave between pages; the id cursor must not shift.
    await firehose(mock.url, [{ externalId: 'list5@x.io', fields: {}, deleted: true }]);
    await firehose(mock.url, [{ externalId: 'list150@x.io', fields: {}, deleted: true }]);
    const sizes = [first.records.length];
    const seen = [...first.records];
    let cursor = first.cursor;
    while (cursor !== undefined) {
      const page = await api.listRecords('contacts', cursor);
      sizes.push(page.records.length);
      seen.push(...page.records);
      cursor = page.cursor;
    }
    expect(sizes).toEqual([100, 100, 49]);
    expect(new Set(seen.map((r) => r.id)).size).toBe(seen.length);
    const byEmail = new Map(seen.map((r) => [r.fields.email, r]));
    expect(byEmail.has('list150@x.io')).toBe(false);
    for (const input of inputs.filter((i) => i.externalId !== 'list150@x.io')) {
      expect(byEmail.get(input.externalId)).toMatchObject({ fields: input.fields, modifiedAt: at });
    }
  });

  it.each(['id', 'id-descending'] as const)(
    'listModifiedSince returns exactly what changed at or after `since`, ascending, through a 260-record timestamp group (search ties in %s order)',
    async (searchTies) => {
      await target.restart({ settings: { searchTies } });
      const { mock, api } = target;
      const now = Date.now();
      const since = now - 20 * DAY;
      await firehose(mock.url, contacts('old', 30), now - 30 * DAY);
      const distinct = contacts('a', 150);
      for (const [i, input] of distinct.entries()) await firehose(mock.url, [input], since + i * 1000);
      // 260 records sharing one millisecond: more than a page, so the group spans a page boundary.
      await firehose(mock.url, contacts('b', 260), now - 10 * DAY);
      const grouped = contacts('c', 120);
      for (let g = 0; g < 3; g++)
        await firehose(mock.url, grouped.slice(g * 40, g * 40 + 40), now - 5 * DAY + g);
      const moved = contacts('old', 10).map((c) => ({ ...c, fields: { ...c.fields, lastname: 'Moved' } }));
      await firehose(mock.url, moved, now - DAY);

      const expected = new Set([
        ...[...distinct, ...contacts('b', 260), ...grouped, ...moved].map((c) => c.externalId),
      ]);
      const { records, sizes: pages } = await drain((cursor) =>
        api.listModifiedSince('contacts', since, cursor),
      );
      expect(records.map((r) => r.fields.email).sort()).toEqual([...expected].sort());
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
      const times = records.map((r) => r.modifiedAt);
      expect(times).toEqual([...times].sort((x, y) => x - y));
      expect(Math.min(...times)).toBe(since);
      expect(Math.max(...pages)).toBeLessThanOrEqual(200);
      expect(records.filter((r) => r.fields.lastname === 'Moved')).toHaveLength(10);

      // The lead's backfill: a fresh query from the newest time seen, the cursor only inside a
      // page that is one timestamp throughout.
      const union = new Map<string, RecordState>();
      let from = since;
      let cursor: string | undefined;
      for (let calls = 0; ; calls++) {
        expect(calls).toBeLessThan(100);
        const page = await api.listModifiedSince('contacts', from, cursor);
        for (const r of page.records) union.set(r.id, r);
        if (page.cursor === undefined) break;
        const last = page.records.at(-1);
        const oneTimestamp = page.records.every((r) => r.modifiedAt === page.records[0]?.modifiedAt);
        if (last === undefined || oneTimestamp) cursor = page.cursor;
        else {
          from = last.modifiedAt;
          cursor = undefined;
        }
      }
      expect([...union.values()].map((r) => r.fields.email).sort()).toEqual([...expected].sort());
    },
  );

  it('walks past the 10,000-result search cap that refuses offset paging', async () => {
    await target.restart({ settings: { searchPerSecond: 200 } });
    const { mock, api } = target;
    const at = Date.now() - 7 * DAY;
    await firehose(mock.url, contacts('cap', 10_050), at);
    const res = await fetch(`${mock.url}/crm/v3/objects/contacts/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mock.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ limit: 200, after: '9900' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ category: 'VALIDATION_ERROR' });
    const records = await modifiedSince(api, at);
    expect(records).toHaveLength(10_050);
    expect(new Set(records.map((r) => r.id)).size).toBe(10_050);
  });

  it('a delete leaves the list, is listed as archived with archivedAt, and its contact.deletion parses to a delete', async () => {
    const { mock, api } = target;
    const capture = await captureHubspotEvents(mock.secret);
    try {
      const now = Date.now();
      // Archived 91 days ago: past the 90 days HubSpot keeps archived records restorable.
      await firehose(mock.url, [contact('ancient@x.io', 9)], now - 100 * DAY);
      await firehose(mock.url, [{ externalId: 'ancient@x.io', fields: {}, deleted: true }], now - 91 * DAY);
      await api.configureWebhooks(capture.url, SUBSCRIPTION);
      await firehose(mock.url, contacts('d', 3), now - 3 * DAY);
      const ids = new Map((await allRecords(api)).map((r) => [r.fields.email, r.id]));
      const deletedAt = now - 2 * DAY;
      await firehose(
        mock.url,
        [
          { externalId: 'd0@x.io', fields: {}, deleted: true },
          { externalId: 'd2@x.io', fields: {}, deleted: true },
          { externalId: 'never@x.io', fields: {}, deleted: true },
        ],
        deletedAt,
      );
      expect((await allRecords(api)).map((r) => r.fields.email)).toEqual(['d1@x.io']);
      const gone = [ids.get('d0@x.io'), ids.get('d2@x.io')].sort();
      const archived = await api.listDeletedSince?.('contacts', 0, undefined);
      expect(archived).toEqual({ records: gone.map((id) => ({ id, deletedAt })) });
      expect((await api.listDeletedSince?.('contacts', deletedAt + 1, undefined))?.records).toEqual([]);

      const isDelete = (e: VendorEvent) => e.type === 'contact.deletion';
      await waitUntil(() => capture.events.filter(isDelete).length >= 2, 10_000, 'two deletion events');
      const deletes = capture.events.filter(isDelete);
      expect(deletes.map((e) => [e.objectId, e.action, e.occurredAt]).sort()).toEqual(
        gone.map((id) => [id, 'delete', deletedAt]),
      );
      expect(capture.rejected).toEqual([]);
    } finally {
      await capture.close();
    }
  });

  it('archived records page 100 at a time with the same cursor', async () => {
    const { mock, api } = target;
    const at = Date.now() - DAY;
    const inputs = contacts('arch', 130);
    await firehose(mock.url, inputs, at - 1000);
    await firehose(
      mock.url,
      inputs.map((i) => ({ ...i, deleted: true })),
      at,
    );
    const first = await api.listDeletedSince?.('contacts', at, undefined);
    expect(first?.records).toHaveLength(100);
    const second = await api.listDeletedSince?.('contacts', at, first?.cursor);
    expect(second?.records).toHaveLength(30);
    expect(second?.cursor).toBeUndefined();
    const ids = [...(first?.records ?? []), ...(second?.records ?? [])].map((r) => r.id);
    expect(new Set(ids).size).toBe(130);
  });

  it('creation carries ids only; property changes carry the subscribed canonical values at the backdated time', async () => {
    const { mock, api } = target;
    const capture = await captureHubspotEvents(mock.secret);
    try {
      await api.configureWebhooks(capture.url, SUBSCRIPTION);
      const created = Date.now() - 4 * DAY;
      const changed = created + 60_000;
      await firehose(mock.url, [contact('ev@x.io', 7)], created);
      await firehose(mock.url, [{ externalId: 'ev@x.io', fields: { lastname: 'Changed' } }], changed);
      await waitUntil(() => capture.events.length >= 6, 10_000, 'six events');
      const id = (await allRecords(api))[0]?.id;
      const summary = capture.events
        .map((e) => ({ id: e.objectId, action: e.action, at: e.occurredAt, fields: e.fields }))
        .sort((a, b) => a.at - b.at || JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(summary).toEqual(
        [
          { id, action: 'create', at: created, fields: {} },
          { id, action: 'update', at: created, fields: { email: 'ev@x.io' } },
          { id, action: 'update', at: created, fields: { firstname: 'F7' } },
          { id, action: 'update', at: created, fields: { lastname: 'L7' } },
          { id, action: 'update', at: created, fields: { phone: '+15557' } },
          { id, action: 'update', at: changed, fields: { lastname: 'Changed' } },
        ].sort((a, b) => a.at - b.at || JSON.stringify(a).localeCompare(JSON.stringify(b))),
      );
    } finally {
      await capture.close();
    }
  });

  it('a merge makes a new record with the primary’s values; both old ids parse to deletes and read as the new record', async () => {
    const { mock, api } = target;
    const capture = await captureHubspotEvents(mock.secret);
    try {
      await api.configureWebhooks(capture.url, SUBSCRIPTION);
      const now = Date.now();
      await firehose(
        mock.url,
        [
          { externalId: 'win@x.io', fields: { email: 'win@x.io', firstname: 'Winner', lastname: 'Kept' } },
          { externalId: 'lose@x.io', fields: { email: 'lose@x.io', firstname: 'Loser', phone: '+4420' } },
        ],
        now - 2 * DAY,
      );
      const before = new Map((await allRecords(api)).map((r) => [r.fields.email, r.id]));
      const winnerId = before.get('win@x.io') ?? '';
      const loserId = before.get('lose@x.io') ?? '';
      const mergedAt = now - DAY;
      await firehose(mock.url, [{ externalId: 'lose@x.io', fields: {}, mergeInto: 'win@x.io' }], mergedAt);

      const after = await allRecords(api);
      expect(after).toHaveLength(1);
      const merged = after[0];
      expect(merged?.id).not.toBe(winnerId);
      expect(merged).toMatchObject({
        modifiedAt: mergedAt,
        fields: { email: 'win@x.io', firstname: 'Winner', lastname: 'Kept', phone: '+4420' },
      });
      expect((await modifiedSince(api, mergedAt)).map((r) => r.id)).toEqual([merged?.id]);

      const client = new Client({ accessToken: mock.token, basePath: mock.url, numberOfApiCallRetries: 0 });
      expect((await client.crm.contacts.basicApi.getById(loserId)).id).toBe(merged?.id);

      await waitUntil(() => capture.events.some((e) => e.type === 'contact.merge'), 10_000, 'merge event');
      const mergeEvents = capture.events.filter((e) => e.type === 'contact.merge');
      expect(mergeEvents.map((e) => [e.objectId, e.action, e.occurredAt]).sort()).toEqual(
        [
          [winnerId, 'delete', mergedAt],
          [loserId, 'delete', mergedAt],
          [merged?.id, 'create', mergedAt],
        ].sort(),
      );
      expect(new Set(mergeEvents.map((e) => e.key)).size).toBe(3);

      // The same through HubSpot's merge API, driven by its SDK.
      await firehose(mock.url, [contact('third@x.io', 3)]);
      const third = (await allRecords(api)).find((r) => r.fields.email === 'third@x.io');
      const viaApi = await client.crm.contacts.basicApi.merge({
        primaryObjectId: winnerId,
        objectIdToMerge: third?.id ?? '',
      });
      expect(viaApi.properties.email).toBe('win@x.io');
      expect((await allRecords(api)).map((r) => r.id)).toEqual([viaApi.id]);
    } finally {
      await capture.close();
    }
  });

  it('a merge that keeps the primary’s id updates it; a merge event without its ids is dead-lettered, not the batch', () => {
    const base = {
      subscriptionId: 9,
      portalId: 62515,
      appId: 54321,
      occurredAt: 1_700_000_000_000,
      attemptNumber: 0,
    };
    const legacy = { ...base, eventId: 1, subscriptionType: 'contact.merge', objectId: 10 };
    const events = parseHubspotDelivery(
      Buffer.from(
        JSON.stringify([
          {
            ...legacy,
            primaryObjectId: 10,
            mergedObjectIds: [11, 12],
            newObjectId: 10,
            numberOfPropertiesMoved: 2,
          },
          { ...legacy, eventId: 2, primaryObjectId: 10 },
        ]),
      ),
    );
    expect(events.map((e) => [e.objectId, e.action])).toEqual([
      ['11', 'delete'],
      ['12', 'delete'],
      ['10', 'update'],
      ['10', undefined],
    ]);
  });
});
