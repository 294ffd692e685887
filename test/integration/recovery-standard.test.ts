import { describe, expect, it } from 'vitest';
import { standard } from '../../harness/vendors/standard/index.js';
import { STANDARD_RECOVERY_RULES } from '../../harness/vendors/standard/profile.js';
import type { DeletedRecord, RecordState, VendorEvent } from '../../harness/vendors/types.js';
import { drain, expectKeysetOrder, startCapture, useRecoveryTarget } from '../helpers/recovery.js';
import { firehoseStandard, startMockStandard, waitUntil } from '../helpers/standard.js';

const DAY = 86_400_000;
const PAGE = STANDARD_RECOVERY_RULES.pageMax.value;

const seqs = (records: readonly RecordState[]) => records.map((r) => r.fields.poc_seq);

describe('standard CRM recovery reads through the adapter', () => {
  const target = useRecoveryTarget(startMockStandard, (connection) => standard.api(connection));

  it('listRecords pages through 2.5 x the page size with no record missing or repeated', async () => {
    const { mock, api } = target;
    const at = Date.now() - 30 * DAY;
    const count = PAGE * 2.5;
    await firehoseStandard(
      mock,
      Array.from({ length: count }, (_, i) => ({
        externalId: `x${i}`,
        fields: { email: `x${i}@example.com`, firstname: 'Ada', poc_seq: `x${i}` },
      })),
      at,
    );
    const { records, sizes } = await drain((cursor) => api.listRecords('contacts', cursor));
    expect(sizes).toEqual([PAGE, PAGE, PAGE / 2]);
    expect(new Set(records.map((r) => r.id)).size).toBe(count);
    expect(new Set(seqs(records))).toEqual(new Set(Array.from({ length: count }, (_, i) => `x${i}`)));
    expect(records[7]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      modifiedAt: at,
      fields: { email: 'x7@example.com', firstname: 'Ada', poc_seq: 'x7' },
    });
  });

  it('listModifiedSince returns exactly the records modified since, ascending, a 1,100-record tie across the page boundary included', async () => {
    const { mock, api } = target;
    const [t0, t1, t2] = [Date.now() - 30 * DAY, Date.now() - 20 * DAY, Date.now() - 10 * DAY];
    await firehoseStandard(
      mock,
      Array.from({ length: 400 }, (_, i) => ({ externalId: `a${i}`, fields: { poc_seq: `a${i}` } })),
      t0,
    );
    await firehoseStandard(
      mock,
      Array.from({ length: 150 }, (_, i) => ({ externalId: `a${i}`, fields: { poc_seq: `a${i}-u` } })),
      t1,
    );
    const tied = Array.from({ length: 1100 }, (_, i) => `b${i}`);
    await firehoseStandard(
      mock,
      tied.map((seq) => ({ externalId: seq, fields: { poc_seq: seq } })),
      t2,
    );

    const fromT1 = await drain((cursor) => api.listModifiedSince('contacts', t1, cursor));
    expect(fromT1.sizes).toEqual([PAGE, 250]);
    expect(fromT1.records.length).toBe(1250);
    expect(new Set(seqs(fromT1.records))).toEqual(
      new Set([...Array.from({ length: 150 }, (_, i) => `a${i}-u`), ...tied]),
    );
    // Ascending by modified time, ties by numeric id: the order the API documents.
    expectKeysetOrder(fromT1.records, 'numeric');
    // The boundary fell inside the group sharing t2, and the cursor carried on within it.
    expect(fromT1.records[PAGE - 1]?.modifiedAt).toBe(t2);
    expect(fromT1.records[PAGE]?.modifiedAt).toBe(t2);

    // One millisecond later excludes the whole t1 group: the bound is inclusive and exact.
    const afterT1 = await drain((cursor) => api.listModifiedSince('contacts', t1 + 1, cursor));
    expect(seqs(afterT1.records).sort()).toEqual([...tied].sort());

    // The lead's backfill restarts from the last time it saw (t2) and uses the cursor in the tie.
    const fromT2 = await drain((cursor) => api.listModifiedSince('contacts', t2, cursor));
    expect(fromT2.sizes).toEqual([PAGE, 100]);
    expect(new Set(seqs(fromT2.records))).toEqual(new Set(tied));
    expectKeysetOrder(fromT2.records, 'numeric');
  });

  it('a record written while the client pages is listed again at the end, never skipped', async () => {
    const { mock, api } = target;
    const t2 = Date.now() - 10 * DAY;
    await firehoseStandard(
      mock,
      Array.from({ length: 1100 }, (_, i) => ({ externalId: `b${i}`, fields: { poc_seq: `b${i}` } })),
      t2,
    );
    const first = await api.listModifiedSince('contacts', t2, undefined);
    expect(first.records).toHaveLength(PAGE);
    const moved = first.records[3] as RecordState;
    const later = Date.now() - DAY;
    await firehoseStandard(
      mock,
      [{ externalId: moved.fields.poc_seq ?? '', fields: { phone: '+15550100' } }],
      later,
    );
    const rest = await drain((cursor) => api.listModifiedSince('contacts', t2, cursor ?? first.cursor));
    expect(rest.sizes).toEqual([101]);
    expect(rest.records.at(-1)).toEqual({
      id: moved.id,
      modifiedAt: later,
      fields: { poc_seq: moved.fields.poc_seq, phone: '+15550100' },
    });
    const all = [...first.records, ...rest.records].map((r) => r.fields.poc_seq);
    expect(new Set(all).size).toBe(1100);
  });

  it('a delete leaves listRecords, appears in listDeletedSince and arrives as a contact.deleted that parses to delete', async () => {
    const { mock, api } = target;
    const capture = await startCapture();
    try {
      await api.configureWebhooks(capture.url, {
        objectType: 'contacts',
        actions: ['create', 'update', 'delete'],
        fields: ['email', 'firstname', 'lastname', 'phone'],
      });
      const created = Date.now() - 2 * DAY;
      const deletedAt = Date.now() - DAY;
      const full = (n: string) => ({
        email: `${n}@example.com`,
        firstname: n,
        lastname: 'Lovelace',
        phone: '+4420',
      });
      await firehoseStandard(
        mock,
        ['keep', 'gone', 'api-gone'].map((n) => ({ externalId: n, fields: full(n) })),
        created,
      );
      await firehoseStandard(
        mock,
        [
          { externalId: 'gone', deleted: true },
          { externalId: 'never-was', deleted: true },
        ],
        deletedAt,
      );
      const live = await drain((cursor) => api.listRecords('contacts', cursor));
      const byName = new Map(live.records.map((r) => [r.fields.firstname, r]));
      const apiGone = byName.get('api-gone') as RecordState;
      const apiDelete = await fetch(`${mock.url}/v1/contacts/${apiGone.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${mock.token}` },
      });
      expect(apiDelete.status).toBe(204);

      await waitUntil(
        () => capture.seen.length === 5,
        10_000,
        'three contact.created and two contact.deleted',
      );
      const scheme = standard.webhooks({ secrets: [mock.secret] });
      const events: VendorEvent[] = capture.seen.flatMap((d) => {
        const delivery = { method: 'POST', url: d.url, headers: d.headers, body: d.body };
        expect(scheme.verify(delivery, Date.now())).toMatchObject({ ok: true });
        return scheme.parse(d.body);
      });
      const keep = byName.get('keep') as RecordState;
      const gone = events.find((e) => e.action === 'create' && e.fields.firstname === 'gone');
      // A create carries every field the contact has, on the clock listRecords reports.
      expect(events.find((e) => e.objectId === keep.id)).toMatchObject({
        action: 'create',
        occurredAt: keep.modifiedAt,
        fields: full('keep'),
      });
      expect(keep.modifiedAt).toBe(created);
      const deletes = events.filter((e) => e.action === 'delete').sort((a, b) => a.occurredAt - b.occurredAt);
      expect(deletes).toEqual([
        expect.objectContaining({ type: 'contact.deleted', objectId: gone?.objectId, occurredAt: deletedAt }),
        expect.objectContaining({ type: 'contact.deleted', objectId: apiGone.id }),
      ]);

      const after = await drain((cursor) => api.listRecords('contacts', cursor));
      expect(after.records.map((r) => r.id)).toEqual([keep.id]);
      const deleted = await drain(
        (cursor) => api.listDeletedSince?.('contacts', deletedAt, cursor) ?? expect.fail(),
      );
      expect(deleted.records.map((r) => r.id)).toEqual([gone?.objectId, apiGone.id]);
      expect(deleted.records[0]?.deletedAt).toBe(deletedAt);
      const later = await drain(
        (cursor) => api.listDeletedSince?.('contacts', deletedAt + 1, cursor) ?? expect.fail(),
      );
      expect(later.records.map((r) => r.id)).toEqual([apiGone.id]);
    } finally {
      await capture.close();
    }
  });

  it('listDeletedSince pages a tie of 1,050 deletions and forgets tombstones past the 90-day retention', async () => {
    const { mock, api } = target;
    const retention = STANDARD_RECOVERY_RULES.tombstoneRetentionMs.value;
    const names = Array.from({ length: 1050 }, (_, i) => `d${i}`);
    const old = Date.now() - retention - DAY;
    await firehoseStandard(mock, [{ externalId: 'ancient', fields: { poc_seq: 'ancient' } }], old);
    await firehoseStandard(mock, [{ externalId: 'ancient', deleted: true }], old);
    const at = Date.now() - retention + DAY;
    await firehoseStandard(
      mock,
      names.map((n) => ({ externalId: n, fields: { poc_seq: n } })),
      at,
    );
    const ids = (await drain((cursor) => api.listRecords('contacts', cursor))).records.map((r) => r.id);
    await firehoseStandard(
      mock,
      names.map((n) => ({ externalId: n, deleted: true })),
      at,
    );
    const listed = await drain((cursor) => api.listDeletedSince?.('contacts', 0, cursor) ?? expect.fail());
    expect(listed.sizes).toEqual([PAGE, 50]);
    // Every id once, ascending (the tie-break), and not the tombstone older than the retention.
    expect(listed.records.map((r: DeletedRecord) => r.id)).toEqual(
      [...ids].sort((a, b) => Number(a) - Number(b)),
    );
    expect(listed.records.every((r) => r.deletedAt === at)).toBe(true);
  });

  it('ends a full last page without a cursor; refuses a limit past 1000 and a cursor from another query', async () => {
    const { mock } = target;
    const first = await fetch(`${mock.url}/v1/contacts?limit=1001`, {
      headers: { authorization: `Bearer ${mock.token}` },
    });
    expect(first.status).toBe(400);
    expect(await first.json()).toMatchObject({ code: 'invalid_parameter', errors: [{ field: 'limit' }] });
    await firehoseStandard(mock, [{ externalId: 'a' }, { externalId: 'b' }]);
    const list = async (limit: number) =>
      (await (
        await fetch(`${mock.url}/v1/contacts?limit=${limit}`, {
          headers: { authorization: `Bearer ${mock.token}` },
        })
      ).json()) as { data: unknown[]; next_cursor: string | null };
    // A full last page says so: no cursor to an empty page.
    expect(await list(2)).toMatchObject({ data: [{}, {}], next_cursor: null });
    const page = await list(1);
    const since = encodeURIComponent(new Date(0).toISOString());
    const mixed = await fetch(`${mock.url}/v1/contacts?modified_since=${since}&cursor=${page.next_cursor}`, {
      headers: { authorization: `Bearer ${mock.token}` },
    });
    expect(mixed.status).toBe(400);
    expect(await mixed.json()).toMatchObject({ errors: [{ field: 'cursor' }] });
  });
});
