import { describe, expect, it } from 'vitest';
import { dynamicsApi } from '../../harness/vendors/dynamics/api.js';
import { CHANGE_TRACKING_RETENTION, MAX_PAGE_SIZE } from '../../harness/vendors/dynamics/profile.js';
import { startDynamicsReceiver, startMockDynamics } from '../helpers/dynamics.js';
import {
  acceptedEvents,
  type Change,
  drain,
  firehose,
  second,
  useRecoveryTarget,
} from '../helpers/recovery.js';
import { waitUntil } from '../helpers/wait.js';

const DAY = 86_400_000;
const PAGE = MAX_PAGE_SIZE.value;

function contacts(prefix: string, count: number, extra: Record<string, string> = {}): Change[] {
  return Array.from({ length: count }, (_, i) => {
    const email = `${prefix}${i}@x.io`;
    return { externalId: email, fields: { email, firstname: `F${i}`, lastname: prefix, ...extra } };
  });
}

describe('dynamics recovery reads through the adapter', () => {
  const target = useRecoveryTarget(startMockDynamics, dynamicsApi);

  it('listRecords pages 2.5 x the 5,000-row page by nextLink, none missing or repeated while rows are deleted', async () => {
    const { mock, api, calls } = target;
    const at = Date.now() - 10 * DAY + 123;
    const inputs = contacts('all', PAGE * 2.5);
    await firehose(mock, inputs, at);

    const first = await api.listRecords('contacts', undefined);
    expect(first.records).toHaveLength(PAGE);
    expect(first.cursor).toBeDefined();
    expect(first.records[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      modifiedAt: second(at),
      fields: { email: 'all0@x.io', firstname: 'F0', lastname: 'all' },
    });
    // Rows already read leave while paging: a cursor counting offsets would now skip as many.
    const gone = first.records.slice(0, 10).map((r) => r.fields.email ?? '');
    await firehose(
      mock,
      gone.map((email) => ({ externalId: email, deleted: true })),
      Date.now(),
    );
    const rest = await drain((cursor) => api.listRecords('contacts', cursor ?? first.cursor));
    expect(rest.sizes).toEqual([PAGE, PAGE / 2]);
    const emails = [...first.records, ...rest.records].map((r) => r.fields.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(new Set(emails)).toEqual(new Set(inputs.map((i) => i.externalId)));

    const fresh = (await drain((cursor) => api.listRecords('contacts', cursor))).records;
    expect(fresh).toHaveLength(PAGE * 2.5 - 10);
    expect(fresh.map((r) => r.fields.email)).not.toContain(gone[0]);
    expect(new Set(calls.map((c) => c.operation))).toEqual(new Set(['contacts.list']));
  });

  it('listModifiedSince returns exactly the rows modified at or after the second of `since`, ascending, a 5,250-row tie paged by cursor', async () => {
    const { mock, api, calls } = target;
    const now = Date.now();
    const t0 = second(now - 20 * DAY);
    const t1 = second(now - 10 * DAY) + 700;
    const t2 = t1 + 5000;
    await firehose(mock, contacts('old', 100), t0);
    await firehose(mock, contacts('tie', PAGE + 250), t1);
    await firehose(mock, contacts('late', 60), t2);
    // 20 old rows modified later join the result; the other 80 stay out.
    await firehose(mock, contacts('old', 20, { phone: '+1 555' }), t2);

    // `since` inside t1's second: rounded down, the whole tie is in.
    const first = await api.listModifiedSince('contacts', t1 + 200, undefined);
    expect(first.records).toHaveLength(PAGE);
    expect(first.records.every((r) => r.modifiedAt === second(t1))).toBe(true);
    expect(first.cursor).toBeDefined();
    // A row already read is modified while paging: it moves to the end and nothing shifts past
    // the cursor (an offset cursor would now skip the row that took its place).
    const moved = first.records[0]?.fields.email ?? '';
    const t3 = now - DAY;
    await firehose(mock, [{ externalId: moved, fields: { firstname: 'Moved' } }], t3);
    const rest = (await drain((cursor) => api.listModifiedSince('contacts', t1, cursor ?? first.cursor)))
      .records;

    const records = [...first.records, ...rest];
    const times = records.map((r) => r.modifiedAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const expected = [
      ...contacts('tie', PAGE + 250).map((i) => i.externalId),
      ...contacts('late', 60).map((i) => i.externalId),
      ...contacts('old', 20).map((i) => i.externalId),
    ];
    const emails = records.map((r) => r.fields.email);
    expect(new Set(emails)).toEqual(new Set(expected));
    // Every row once, except the moved one: read at t1, then again at its new time.
    expect(emails).toHaveLength(expected.length + 1);
    expect(records.at(-1)).toMatchObject({
      modifiedAt: second(t3),
      fields: { email: moved, firstname: 'Moved' },
    });
    expect(records.find((r) => r.fields.email === 'old3@x.io')).toMatchObject({
      modifiedAt: second(t2),
      fields: { phone: '+1 555' },
    });

    // A query from t2's second onward: the late and re-modified rows and the moved one only.
    const later = (await drain((cursor) => api.listModifiedSince('contacts', t2, cursor))).records;
    expect(later).toHaveLength(60 + 20 + 1);
    expect(new Set(calls.map((c) => c.operation))).toEqual(new Set(['contacts.search']));
  });

  it('a deleted row leaves listRecords and its Delete webhook parses to action delete; no deleted list exists', async () => {
    const { mock, api } = target;
    const receiver = await startDynamicsReceiver([mock.secret]);
    try {
      const events = acceptedEvents(receiver);
      await api.configureWebhooks(receiver.url, {
        objectType: 'contacts',
        actions: ['create', 'update', 'delete'],
        fields: ['email', 'firstname', 'lastname', 'phone'],
      });
      const created = Date.now() - 3_600_000 + 450;
      await firehose(mock, contacts('d', 3), created);
      const updated = created + 60_000;
      await firehose(mock, [{ externalId: 'd1@x.io', fields: { phone: '+44 1' } }], updated);
      const deleted = created + 120_000;
      await firehose(
        mock,
        [
          { externalId: 'd0@x.io', deleted: true },
          { externalId: 'nobody@x.io', deleted: true },
        ],
        deleted,
      );
      await waitUntil(() => events.length >= 5, 10_000, 'five deliveries');

      const live = (await drain((cursor) => api.listRecords('contacts', cursor))).records;
      expect(live.map((r) => r.fields.email).sort()).toEqual(['d1@x.io', 'd2@x.io']);
      expect(api.listDeletedSince).toBeUndefined();

      const d1 = live.find((r) => r.fields.email === 'd1@x.io');
      const byAction = (action: string) => events.filter((e) => e.action === action);
      expect(byAction('create')).toHaveLength(3);
      expect(byAction('update')).toEqual([
        expect.objectContaining({ objectId: d1?.id, occurredAt: updated, fields: { phone: '+44 1' } }),
      ]);
      // Same clock, Dataverse's precision: modifiedon keeps the second, the event the millisecond.
      expect(d1?.modifiedAt).toBe(second(updated));
      const creates = byAction('create').map((e) => [e.fields.email, e.occurredAt, e.fields.firstname]);
      expect(creates.sort()).toEqual([
        ['d0@x.io', created, 'F0'],
        ['d1@x.io', created, 'F1'],
        ['d2@x.io', created, 'F2'],
      ]);
      const d0 = byAction('create').find((e) => e.fields.email === 'd0@x.io');
      expect(byAction('delete')).toEqual([
        expect.objectContaining({
          objectId: d0?.objectId,
          occurredAt: deleted,
          type: 'contact.Delete',
          fields: {},
        }),
      ]);
      expect(events).toHaveLength(5);
    } finally {
      await receiver.close();
    }
  });

  it('the change feed follows a delta link: updates, creates and $deletedEntity rows, then nothing', async () => {
    const { mock, api, calls } = target;
    const base = second(Date.now() - 2 * DAY);
    await firehose(mock, contacts('f', 5), base);
    const position = await api.changeFeed?.current('contacts');
    // The token's date part is its newest change.
    const d = new Date(base);
    const two = (n: number) => String(n).padStart(2, '0');
    const date = `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
    expect(decodeURIComponent(position ?? '')).toContain(`!${date}`);

    const t = base + DAY;
    await firehose(mock, [{ externalId: 'f1@x.io', fields: { firstname: 'Changed' } }], t);
    await firehose(mock, [{ externalId: 'f2@x.io', deleted: true }], t + 1000);
    await firehose(mock, contacts('g', 1), t + 2000);
    const page = await api.changeFeed?.read('contacts', position ?? '');
    if (!page || page.expired) throw new Error(`the delta link expired: ${JSON.stringify(page)}`);
    expect(page.more).toBe(false);
    const live = (await drain((cursor) => api.listRecords('contacts', cursor))).records;
    const idOf = (email: string) => live.find((r) => r.fields.email === email)?.id;
    expect(page.changes).toEqual([
      {
        deleted: false,
        id: idOf('f1@x.io') ?? '',
        modifiedAt: t,
        fields: { email: 'f1@x.io', firstname: 'Changed', lastname: 'f' },
      },
      {
        deleted: false,
        id: idOf('g0@x.io') ?? '',
        modifiedAt: t + 2000,
        fields: { email: 'g0@x.io', firstname: 'F0', lastname: 'g' },
      },
      // No time on $deletedEntity: the new token's date (its newest change) bounds it.
      { deleted: true, id: expect.stringMatching(/^[0-9a-f-]{36}$/), deletedAt: t + 2000 },
    ]);
    const deletedId = page.changes[2]?.id;
    expect(live.map((r) => r.id)).not.toContain(deletedId);
    expect([idOf('f0@x.io'), idOf('f3@x.io'), idOf('f4@x.io')]).not.toContain(deletedId);

    const after = await api.changeFeed?.read('contacts', page.position);
    expect(after).toMatchObject({ expired: false, changes: [], more: false });
    expect(calls.filter((c) => c.operation === 'delta').length).toBe(3);
  });

  it('a delta link whose newest change is older than ExpireChangeTrackingInDays comes back expired', async () => {
    const { mock, api } = target;
    expect(CHANGE_TRACKING_RETENTION.value).toBe(30 * DAY);
    const now = Date.now();
    await firehose(mock, contacts('x', 2), now - 31 * DAY);
    const stale = await api.changeFeed?.current('contacts');
    await firehose(mock, contacts('y', 2), now - 29 * DAY);
    const fresh = await api.changeFeed?.current('contacts');
    await firehose(mock, contacts('z', 1), now);

    expect(await api.changeFeed?.read('contacts', stale ?? '')).toEqual({
      expired: true,
      detail: '0x80044352: Version stamp associated with the client has expired. Please perform a full sync.',
    });
    const page = await api.changeFeed?.read('contacts', fresh ?? '');
    expect(page).toMatchObject({ expired: false, more: false });
    expect(page && !page.expired && page.changes.map((c) => !c.deleted && c.fields.email)).toEqual([
      'z0@x.io',
    ]);
  });
});
