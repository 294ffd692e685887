import { v1, v2 } from 'pipedrive';
import { describe, expect, it } from 'vitest';
import type { FirehoseInput } from '../../harness/targets/types.js';
import { createPipedriveAdapter } from '../../harness/vendors/pipedrive/index.js';
import { PIPEDRIVE_LIST_LIMIT, updatedSince } from '../../harness/vendors/pipedrive/records.js';
import { startMockPipedrive, startPipedriveReceiver } from '../helpers/pipedrive.js';
import {
  acceptedEvents,
  drain,
  expectKeysetOrder,
  firehose,
  second,
  startCapture,
  useRecoveryTarget,
} from '../helpers/recovery.js';
import { waitUntil } from '../helpers/wait.js';

const DAY = 86_400_000;
const FULL_SUBSCRIPTION = {
  objectType: 'contacts',
  actions: ['create', 'update', 'delete'],
  fields: ['email', 'firstname', 'lastname', 'phone'],
} as const;

function people(prefix: string, count: number): FirehoseInput[] {
  return Array.from({ length: count }, (_, i) => ({
    externalId: `${prefix}${i}@example.com`,
    fields: {
      email: `${prefix}${i}@example.com`,
      firstname: `F${i}`,
      lastname: `${prefix} L${i}`,
      phone: `+372555${String(i).padStart(4, '0')}`,
      poc_seq: `${prefix}:${i}`,
    },
  }));
}

/** A whole second well in the past, so every backdated `at` stays behind the mock's clock. */
function pastSecond(daysAgo: number): number {
  return second(Date.now() - daysAgo * DAY);
}

describe('Pipedrive recovery: v2 persons list, updated_since backfill, deletes and merges', () => {
  // One adapter for the API and the receiver: its API side learns the custom-field keys.
  const adapter = createPipedriveAdapter();
  const target = useRecoveryTarget(startMockPipedrive, (connection) => adapter.api(connection));

  it('lists every live person once across 2.5 pages of 500, in canonical fields on the webhooks’ ids', async () => {
    const { mock, api, calls } = target;
    const start = pastSecond(30);
    const inputs = people('snap', PIPEDRIVE_LIST_LIMIT * 2.5);
    // Three backdated batches, so modified times differ from page to page.
    await firehose(mock, inputs.slice(0, 400), start);
    await firehose(mock, inputs.slice(400, 900), start + DAY + 250);
    await firehose(mock, inputs.slice(900), start + 2 * DAY);

    const { sizes, records } = await drain((cursor) => api.listRecords('contacts', cursor));
    expect(sizes).toEqual([500, 500, 250]);
    // One personFields read first: poc_seq travels under its hash key.
    expect(calls.map((c) => `${c.operation} ${c.status}`)).toEqual([
      'personFields.list 200',
      ...Array(3).fill('persons.list 200'),
    ]);
    expect(new Set(records.map((r) => r.id)).size).toBe(inputs.length);
    expect(records.map((r) => r.fields.email).sort()).toEqual(inputs.map((i) => i.externalId).sort());
    const byEmail = new Map(records.map((r) => [r.fields.email, r]));
    expect(byEmail.get('snap0@example.com')).toEqual({
      id: expect.stringMatching(/^\d+$/),
      modifiedAt: start,
      fields: inputs[0]?.fields,
    });
    // update_time is shown to the second: the 250 ms of the second batch are not visible.
    expect(byEmail.get('snap400@example.com')?.modifiedAt).toBe(start + DAY);
    // The id is the one the webhooks carry as meta.entity_id (and API v2 as `id`).
    const one = byEmail.get('snap1249@example.com');
    const direct = await new v2.PersonsApi(
      new v2.Configuration({ apiKey: mock.token, basePath: `${mock.url}/api/v2` }),
    ).getPerson({ id: Number(one?.id) });
    expect(direct.data?.emails?.[0]?.value).toBe('snap1249@example.com');
  });

  it('returns exactly the persons updated since, oldest first, a 300-person second split across pages by the cursor', async () => {
    const { mock, api, calls } = target;
    const since = pastSecond(20);
    const old = people('old', 50);
    const atSince = people('at', 400);
    const tie = people('tie', 300);
    await firehose(mock, old, since - 5 * DAY);
    // Changed half a second before `since`: outside, though close.
    await firehose(mock, [{ externalId: 'old0@example.com', fields: { lastname: 'Early' } }], since - 500);
    await firehose(mock, atSince, since);
    await firehose(mock, tie, since + 2000);
    // An older person (a lower id) changed later within the same second: shown with the same
    // update_time, so it sorts among the tie by id, not by milliseconds nobody can see.
    const late = { externalId: 'old40@example.com', fields: { firstname: 'Late' } };
    await firehose(mock, [late], since + 2400);
    const touched = old
      .slice(10, 30)
      .map((i) => ({ externalId: i.externalId, fields: { phone: '+3720000' } }));
    await firehose(mock, touched, since + 7000);

    const { pages, sizes, records } = await drain((cursor) =>
      api.listModifiedSince('contacts', since, cursor),
    );
    expect(sizes).toEqual([500, 221]);
    const expected = [...atSince, ...tie, late, ...touched].map((i) => i.externalId).sort();
    expect(records.map((r) => r.fields.email).sort()).toEqual(expected);
    expect(new Set(records.map((r) => r.id)).size).toBe(expected.length);
    // Ascending by update_time, ties in id order: the order a keyset by (time, id) relies on.
    expectKeysetOrder(records, 'numeric');
    // The 301 of that second straddle the page boundary: 100 on the first page, 201 on the second.
    expect(pages[0]?.filter((r) => r.modifiedAt === since + 2000)).toHaveLength(100);
    expect(pages[1]?.filter((r) => r.modifiedAt === since + 2000)).toHaveLength(201);
    expect(pages[0]?.[400]?.fields.email).toBe('old40@example.com');
    expect(records.at(-1)?.modifiedAt).toBe(since + 7000);
    expect(records.find((r) => r.fields.email === 'old10@example.com')?.fields.phone).toBe('+3720000');

    // Backfill restarts from the last time it saw: the whole second comes back, nothing before.
    const restart = await drain((cursor) => api.listModifiedSince('contacts', since + 2000, cursor));
    expect(restart.records.map((r) => r.fields.email).sort()).toEqual(
      [...tie, late, ...touched].map((i) => i.externalId).sort(),
    );
    // A `since` inside a second rounds down to it, so a person stamped in that second is kept.
    expect(updatedSince(since + 2999)).toBe(updatedSince(since + 2000));
    const inside = await drain((cursor) => api.listModifiedSince('contacts', since + 2999, cursor));
    expect(inside.records).toHaveLength(tie.length + 1 + touched.length);
    expect(calls.filter((c) => c.operation !== 'persons.modified').map((c) => c.operation)).toEqual([
      'personFields.list',
    ]);
    expect(calls.every((c) => c.status === 200)).toBe(true);
  });

  it('deletes and merges inside Pipedrive: gone from the list, delete webhooks per person, a change for the winner', async () => {
    const { mock, api } = target;
    // Pipedrive API v2 keeps no list of deleted persons: the adapter offers none.
    expect(api.listDeletedSince).toBeUndefined();
    const receiver = await startPipedriveReceiver(adapter, [mock.secret]);
    const seen = acceptedEvents(receiver);
    try {
      await api.configureWebhooks(receiver.url, FULL_SUBSCRIPTION);
      const t0 = pastSecond(10) + 123;
      await firehose(
        mock,
        [
          { externalId: 'gone@example.com', fields: { email: 'gone@example.com', firstname: 'Gone' } },
          {
            externalId: 'dup@example.com',
            fields: { email: 'dup@example.com', firstname: 'Dup', lastname: 'Licate', phone: '+3721111' },
          },
          {
            externalId: 'keep@example.com',
            fields: { email: 'keep@example.com', firstname: 'Keep', lastname: 'Er' },
          },
        ],
        t0,
      );
      await waitUntil(() => seen.length >= 3);
      const ids = Object.fromEntries(seen.map((e) => [e.fields.email, e.objectId]));
      const t1 = t0 + DAY;
      const t2 = t1 + 1000;
      await firehose(
        mock,
        [
          { externalId: 'gone@example.com', fields: {}, deleted: true },
          // Unknown external ids are skipped, without an event.
          { externalId: 'nobody@example.com', fields: {}, deleted: true },
        ],
        t1,
      );
      await firehose(
        mock,
        [{ externalId: 'dup@example.com', fields: {}, mergeInto: 'keep@example.com' }],
        t2,
      );
      await waitUntil(() => seen.length >= 6);
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toHaveLength(6);

      const later = seen.slice(3);
      expect(later).toContainEqual(
        expect.objectContaining({
          action: 'delete',
          type: 'delete.person',
          objectId: ids['gone@example.com'],
          occurredAt: t1,
        }),
      );
      expect(later).toContainEqual(
        expect.objectContaining({
          action: 'delete',
          objectId: ids['dup@example.com'],
          occurredAt: t2,
          fields: {},
        }),
      );
      // The winner keeps its values and takes the loser's phone, which it lacked.
      expect(later).toContainEqual(
        expect.objectContaining({
          action: 'update',
          type: 'change.person',
          objectId: ids['keep@example.com'],
          occurredAt: t2,
          fields: expect.objectContaining({
            firstname: 'Keep',
            lastname: 'Er',
            email: 'keep@example.com',
            phone: '+3721111',
          }),
        }),
      );

      const { records } = await drain((cursor) => api.listRecords('contacts', cursor));
      expect(records.map((r) => r.fields.email)).toEqual(['keep@example.com']);
      expect(records[0]).toMatchObject({
        id: ids['keep@example.com'],
        modifiedAt: second(t2),
      });
      const changed = await drain((cursor) => api.listModifiedSince('contacts', t1, cursor));
      expect(changed.records.map((r) => r.id)).toEqual([ids['keep@example.com']]);
    } finally {
      await receiver.close();
    }
  });

  it('merges through the official SDK (PUT /v1/persons/{id}/merge): delete with merged_to_id, then the winner’s change', async () => {
    const { mock, api } = target;
    // A bare endpoint, to see the bodies as Pipedrive posts them (the receiver keeps events only).
    const capture = await startCapture();
    const bodies = () => capture.seen.map((d) => d.body);
    try {
      await api.configureWebhooks(capture.url, {
        ...FULL_SUBSCRIPTION,
        actions: ['update', 'delete'],
      });
      await firehose(
        mock,
        [
          {
            externalId: 'a@example.com',
            fields: { email: 'a@example.com', firstname: 'Ann', phone: '+3720001' },
          },
          { externalId: 'b@example.com', fields: { email: 'b@example.com', firstname: 'Bea' } },
        ],
        pastSecond(1),
      );
      const { records } = await drain((cursor) => api.listRecords('contacts', cursor));
      const id = (email: string) => Number(records.find((r) => r.fields.email === email)?.id);
      const [loser, winner] = [id('a@example.com'), id('b@example.com')];
      const persons = new v1.PersonsApi(
        new v1.Configuration({ apiKey: mock.token, basePath: `${mock.url}/v1` }),
      );
      const merged = await persons.mergePersons({
        id: loser,
        MergePersonsRequest: { merge_with_id: winner },
      });
      expect(merged.data).toMatchObject({
        id: winner,
        first_name: 'Bea',
        active_flag: true,
        merge_what_id: loser,
      });
      expect(merged.data.phone).toEqual([{ value: '+3720001', primary: true, label: 'work' }]);

      await waitUntil(() => bodies().length >= 2);
      const scheme = adapter.webhooks({ secrets: [mock.secret] });
      const byAction = Object.fromEntries(
        bodies().map((b) => [(JSON.parse(b.toString()) as { meta: { action: string } }).meta.action, b]),
      );
      const deleted = JSON.parse(String(byAction.delete)) as { meta: Record<string, unknown>; data: unknown };
      expect(deleted.meta).toMatchObject({
        entity: 'person',
        entity_id: String(loser),
        merged_to_id: String(winner),
      });
      expect(deleted.data).toBeNull();
      expect(scheme.parse(byAction.delete as Buffer)).toEqual([
        expect.objectContaining({ action: 'delete', objectId: String(loser), fields: {} }),
      ]);
      expect(scheme.parse(byAction.change as Buffer)).toEqual([
        expect.objectContaining({
          action: 'update',
          objectId: String(winner),
          fields: expect.objectContaining({ firstname: 'Bea', phone: '+3720001' }),
        }),
      ]);
      const after = await drain((cursor) => api.listRecords('contacts', cursor));
      expect(after.records.map((r) => r.id)).toEqual([String(winner)]);

      const self = await fetch(`${mock.url}/v1/persons/${winner}/merge`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-api-token': mock.token },
        body: JSON.stringify({ merge_with_id: winner }),
      });
      expect(self.status).toBe(400);
      const missing = await fetch(`${mock.url}/v1/persons/${loser}/merge`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-api-token': mock.token },
        body: JSON.stringify({ merge_with_id: winner }),
      });
      expect(missing.status).toBe(404);
    } finally {
      await capture.close();
    }
  });
});
