import { describe, expect, it } from 'vitest';
import type { FirehoseInput } from '../../harness/targets/types.js';
import type { CrmApi, DeletedRecord } from '../../harness/vendors/types.js';
import { zohoApi } from '../../harness/vendors/zoho/api.js';
import {
  acceptedEvents,
  firehose as applied,
  drain,
  expectKeysetOrder,
  postFirehose,
  second,
  useRecoveryTarget,
} from '../helpers/recovery.js';
import { tempDir } from '../helpers/servers.js';
import { waitUntil } from '../helpers/wait.js';
import { startMockZoho, startZohoReceiver } from '../helpers/zoho.js';

const DAY = 86_400_000;
const PAGE = 200;
const SUBSCRIPTION = {
  objectType: 'contacts',
  actions: ['create', 'update', 'delete'],
  fields: ['email', 'firstname', 'lastname', 'phone'],
} as const;

// The SDK ships no type declarations; a variable specifier keeps tsc from demanding them.
const SDK_PACKAGE = '@zohocrm/nodejs-sdk-8.0';
// biome-ignore lint/suspicious/noExplicitAny: the official SDK is untyped JavaScript.
type Sdk = any;

function contact(i: number, extra: Record<string, string> = {}): FirehoseInput {
  const email = `r${i}@example.com`;
  return { externalId: email, fields: { email, lastname: `R${i}`, poc_seq: `s${i}`, ...extra } };
}

describe('Zoho recovery reads through the adapter against the mock', () => {
  const target = useRecoveryTarget(startMockZoho, zohoApi);

  it('(a) listRecords pages 2.5 pages of contacts by page_token, none missing or repeated', async () => {
    // `page` would stop at one page here, so every later page must come by page_token.
    await target.restart({ settings: { pageParamRecordLimit: PAGE } });
    const { mock, api, calls } = target;
    const total = PAGE * 2.5;
    const t0 = Date.now() - 30 * DAY;
    for (let i = 0; i < total; i += 100) {
      await applied(
        mock,
        Array.from({ length: 100 }, (_, k) => contact(i + k)),
        t0 + i * 60_000,
      );
    }
    const { records, sizes } = await drain((c) => api.listRecords('contacts', c));
    expect(sizes).toEqual([PAGE, PAGE, PAGE / 2]);
    expect(new Set(records.map((r) => r.id)).size).toBe(total);
    expect(new Set(records.map((r) => r.fields.email)).size).toBe(total);
    expect(records.find((r) => r.fields.email === 'r7@example.com')).toMatchObject({
      modifiedAt: second(t0),
      fields: { email: 'r7@example.com', lastname: 'R7', poc_seq: 's7' },
    });
    expect(calls.map((c) => `${c.operation} ${c.status}`)).toEqual(Array(3).fill('contacts.list 200'));
  });

  it('(b) listModifiedSince: exactly the records modified at or after since, ascending, a 260-record tie read whole by cursor', async () => {
    const { mock, api, calls } = target;
    const now = Date.now();
    const t0 = now - 30 * DAY;
    const t1 = second(now - 20 * DAY) + 400;
    const t2 = second(now - 10 * DAY) + 250;
    const t3 = now - 5 * DAY;
    const modified = new Map<string, number>();
    const write = async (inputs: FirehoseInput[], at: number) => {
      await applied(mock, inputs, at);
      for (const i of inputs) modified.set(i.externalId, at);
    };
    await write(
      Array.from({ length: 100 }, (_, i) => contact(i)),
      t0,
    );
    // The second before t1's: outside a `since` inside t1's second, however close in ms.
    await write(
      Array.from({ length: 5 }, (_, i) => contact(i, { phone: `+1555000${i}` })),
      second(t1) - 1,
    );
    await write(
      Array.from({ length: 60 }, (_, i) => contact(20 + i, { firstname: `F${i}` })),
      t1,
    );
    const tie = 260;
    await write(
      Array.from({ length: tie }, (_, i) => contact(1000 + i)),
      t2,
    );
    await write(
      Array.from({ length: 10 }, (_, i) => contact(90 + i, { lastname: `Late${i}` })),
      t3,
    );

    // `since` lies later in t1's second than t1 itself: rounding down keeps t1's records.
    const since = t1 + 500;
    const { records, sizes } = await drain((c) => api.listModifiedSince('contacts', since, c));
    const expected = [...modified].filter(([, at]) => second(at) >= second(since)).map(([email]) => email);
    expect(expected).toHaveLength(60 + tie + 10);
    expect(records.map((r) => r.fields.email).sort()).toEqual(expected.sort());
    expect(sizes).toEqual([PAGE, 60 + tie + 10 - PAGE]);
    // Ascending by modified time, ties in id order: a fixed order a cursor can resume.
    expectKeysetOrder(records, 'numeric');
    for (const r of records) expect(r.modifiedAt).toBe(second(modified.get(r.fields.email ?? '') ?? 0));

    // The lead's keyset loop: a fresh query from the tie's own time returns a full page of it,
    // and only the cursor reaches the rest of the group.
    const fresh = await api.listModifiedSince('contacts', t2, undefined);
    expect(fresh.records).toHaveLength(PAGE);
    expect(fresh.records.every((r) => r.modifiedAt === second(t2))).toBe(true);
    const rest = await drain((c) => api.listModifiedSince('contacts', t2, c ?? fresh.cursor));
    const group = [...fresh.records, ...rest.records].filter((r) => r.modifiedAt === second(t2));
    expect(new Set(group.map((r) => r.id)).size).toBe(tie);
    expect(rest.records.filter((r) => r.modifiedAt === second(t3))).toHaveLength(10);

    // Nothing modified since: Zoho's 304 reads as an empty last page.
    expect(await api.listModifiedSince('contacts', Date.now() + 1000, undefined)).toEqual({ records: [] });
    expect(calls.every((c) => c.operation === 'contacts.modified')).toBe(true);
    expect(calls.at(-1)?.status).toBe(304);
  });

  it('(b) an inclusive If-Modified-Since (undocumented either way) still yields exactly since onwards', async () => {
    const { mock } = target;
    // Zoho may count the header's own second as "since": emulate that by asking the mock from
    // one second earlier, so the page brings the second before `since` and the adapter drops it.
    const inclusive: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      const header = headers.get('if-modified-since');
      if (header) headers.set('if-modified-since', new Date(Date.parse(header) - 1000).toUTCString());
      return fetch(input, { ...init, headers });
    };
    const api = zohoApi({ baseUrl: mock.url, token: mock.token, fetch: inclusive });
    const t = second(Date.now() - DAY);
    await applied(
      mock,
      Array.from({ length: PAGE }, (_, i) => contact(i)),
      t - 1000,
    );
    await applied(mock, [contact(PAGE), contact(PAGE + 1)], t);
    const raw = await inclusive(
      `${mock.url}/crm/v8/Contacts?fields=Email&sort_by=Modified_Time&sort_order=asc`,
      {
        headers: {
          authorization: `Zoho-oauthtoken ${mock.token}`,
          'if-modified-since': new Date(t - 1000).toUTCString(),
        },
      },
    );
    expect(((await raw.json()) as { data: unknown[] }).data).toHaveLength(PAGE);
    // A whole page of the earlier second comes first: the adapter skips it rather than
    // handing back an empty page with a cursor.
    const page = await api.listModifiedSince('contacts', t + 999, undefined);
    expect(page).toEqual({
      records: [
        expect.objectContaining({
          modifiedAt: t,
          fields: expect.objectContaining({ email: `r${PAGE}@example.com` }),
        }),
        expect.objectContaining({
          modifiedAt: t,
          fields: expect.objectContaining({ email: `r${PAGE + 1}@example.com` }),
        }),
      ],
    });
  });

  it('(c) a delete leaves listRecords, is listed by listDeletedSince and notifies Contacts.delete', async () => {
    const { mock, api, calls } = target;
    const receiver = await startZohoReceiver([mock.secret]);
    try {
      const events = acceptedEvents(receiver);
      await api.configureWebhooks(receiver.url, SUBSCRIPTION);
      const now = Date.now();
      const created = now - 3 * DAY + 123;
      const removedAt = now - 2 * DAY + 456;
      await applied(
        mock,
        [0, 1, 2, 3].map((i) => contact(i, { firstname: `F${i}`, phone: `+1555010${i}` })),
        created,
      );
      await waitUntil(() => events.length === 4, 10_000, 'four create events');
      expect(events.every((e) => e.action === 'create' && e.occurredAt === created)).toBe(true);
      expect(events.find((e) => e.fields.email === 'r1@example.com')?.fields).toMatchObject({
        email: 'r1@example.com',
        firstname: 'F1',
        lastname: 'R1',
        phone: '+15550101',
      });
      const idOf = (email: string) => events.find((e) => e.fields.email === email)?.objectId ?? '';
      const before = await drain((c) => api.listRecords('contacts', c));
      // The store keys on the event's objectId and judges order on its modifiedAt.
      for (const r of before.records) {
        expect(r.id).toBe(idOf(r.fields.email ?? ''));
        expect(r.modifiedAt).toBe(second(created));
      }

      // One delete made inside Zoho (backdated), one unknown id skipped, one through the API.
      await applied(
        mock,
        [
          { externalId: 'r1@example.com', fields: {}, deleted: true },
          { externalId: 'nobody@example.com', fields: {}, deleted: true },
        ],
        removedAt,
      );
      const viaApi = await fetch(`${mock.url}/crm/v8/Contacts/${idOf('r2@example.com')}`, {
        method: 'DELETE',
        headers: { authorization: `Zoho-oauthtoken ${mock.token}` },
      });
      expect(viaApi.status).toBe(200);
      await waitUntil(() => events.length === 6, 10_000, 'two delete events');
      const deletes = events.filter((e) => e.action === 'delete');
      expect(deletes.map((e) => e.objectId).sort()).toEqual(
        [idOf('r1@example.com'), idOf('r2@example.com')].sort(),
      );
      expect(deletes.find((e) => e.objectId === idOf('r1@example.com'))).toMatchObject({
        type: 'Contacts.delete',
        occurredAt: removedAt,
        fields: {},
      });

      const after = await drain((c) => api.listRecords('contacts', c));
      expect(after.records.map((r) => r.fields.email).sort()).toEqual(['r0@example.com', 'r3@example.com']);
      const deleted = await drain<DeletedRecord>((c) =>
        (api.listDeletedSince as NonNullable<CrmApi['listDeletedSince']>)('contacts', removedAt, c),
      );
      expect(deleted.records).toHaveLength(2);
      expect(deleted.records.find((d) => d.id === idOf('r1@example.com'))).toEqual({
        id: idOf('r1@example.com'),
        deletedAt: second(removedAt),
      });
      expect(deleted.records.find((d) => d.id === idOf('r2@example.com'))?.deletedAt).toBeGreaterThan(
        removedAt,
      );
      // Deleted before `since`'s second: not listed.
      const later = await api.listDeletedSince?.('contacts', removedAt + 1000, undefined);
      expect(later?.records.map((d) => d.id)).toEqual([idOf('r2@example.com')]);
      expect(calls.filter((c) => c.operation === 'contacts.deleted').map((c) => c.status)).toEqual([
        200, 200,
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('(c) the deleted list pages by page number past one page and ages the recycle bin into permanent', async () => {
    const { mock, api } = target;
    const now = Date.now();
    const n = PAGE + 30;
    await applied(
      mock,
      Array.from({ length: n }, (_, i) => contact(i)),
      now - 80 * DAY,
    );
    // 60 days in the recycle bin (ZOHO_FACTS.recycleBinRetentionMs), then deleted for good.
    await applied(
      mock,
      Array.from({ length: 10 }, (_, i) => ({ ...contact(i), deleted: true })),
      now - 70 * DAY,
    );
    await applied(
      mock,
      Array.from({ length: n - 10 }, (_, i) => ({ ...contact(10 + i), deleted: true })),
      now - DAY,
    );
    const all = await drain((c) =>
      (api.listDeletedSince as NonNullable<CrmApi['listDeletedSince']>)('contacts', now - 90 * DAY, c),
    );
    expect(all.sizes).toEqual([PAGE, n - PAGE]);
    expect(new Set(all.records.map((d) => d.id)).size).toBe(n);
    expect(await api.listRecords('contacts', undefined)).toEqual({ records: [] });

    const typed = async (type: string) => {
      const res = await fetch(`${mock.url}/crm/v8/Contacts/deleted?type=${type}&per_page=200`, {
        headers: { authorization: `Zoho-oauthtoken ${mock.token}` },
      });
      return (await res.json()) as { data: { type: string; deleted_time: string }[]; info: unknown };
    };
    const permanent = await typed('permanent');
    expect(permanent.data).toHaveLength(10);
    expect(permanent.data[0]).toMatchObject({ type: 'permanent' });
    expect(permanent.data[0]?.deleted_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect((await typed('recycle')).info).toMatchObject({ count: PAGE, more_records: true });
  });

  it('answers the official Node SDK: getRecords sorted by Modified_Time since a time, getDeletedRecords', async () => {
    const { mock } = target;
    const dir = tempDir('poc-zoho-recovery-sdk-');
    try {
      const sdk: Sdk = await import(SDK_PACKAGE);
      await (await new sdk.InitializeBuilder())
        .environment(new sdk.Environment(mock.url, `${mock.url}/oauth/v2/token`, mock.url))
        .token(
          new sdk.OAuthBuilder()
            .clientId('1000.POCMOCKCLIENT')
            .clientSecret('poc-mock-client-secret')
            .refreshToken(mock.refreshToken)
            .build(),
        )
        .store(new sdk.FileStore(`${dir.path}/tokens.txt`))
        .SDKConfig(new sdk.SDKConfigBuilder().autoRefreshFields(false).pickListValidation(false).build())
        .resourcePath(dir.path)
        .logger(new sdk.LogBuilder().level(sdk.Levels.OFF).filePath(`${dir.path}/sdk.log`).build())
        .initialize();
      const t = second(Date.now() - 2 * DAY);
      await applied(mock, [contact(1), contact(2)], t + 5000);
      await applied(mock, [contact(0)], t + 9000);
      await applied(mock, [contact(3)], t - 5000);
      await applied(mock, [{ ...contact(2), deleted: true }], t + 7000);

      const contacts = new sdk.Record.RecordOperations('Contacts');
      const params = new sdk.ParameterMap();
      await params.add(sdk.Record.GetRecordsParam.FIELDS, 'Email,Modified_Time');
      await params.add(sdk.Record.GetRecordsParam.SORT_BY, 'Modified_Time');
      await params.add(sdk.Record.GetRecordsParam.SORT_ORDER, 'asc');
      const headers = new sdk.HeaderMap();
      await headers.add(sdk.Record.GetRecordsHeader.IF_MODIFIED_SINCE, new Date(t));
      const listed = await contacts.getRecords(params, headers);
      expect(listed.getStatusCode()).toBe(200);
      const rows = listed.getObject().getData();
      expect(rows.map((r: Sdk) => r.getKeyValue('Email'))).toEqual(['r1@example.com', 'r0@example.com']);
      expect(rows.map((r: Sdk) => r.getKeyValue('Modified_Time').getTime())).toEqual([t + 5000, t + 9000]);

      const deletedParams = new sdk.ParameterMap();
      await deletedParams.add(sdk.Record.GetDeletedRecordsParam.TYPE, 'all');
      const deleted = await contacts.getDeletedRecords(deletedParams, new sdk.HeaderMap());
      expect(deleted.getStatusCode()).toBe(200);
      const [gone] = deleted.getObject().getData();
      expect(gone.getType()).toBe('recycle');
      expect(gone.getDeletedTime().getTime()).toBe(t + 7000);
      expect(gone.getDisplayName()).toBe('R2');
    } finally {
      dir.remove();
    }
  });

  it('has no merge: the firehose refuses mergeInto', async () => {
    const { mock } = target;
    const res = await postFirehose(mock, [{ ...contact(1), mergeInto: 'r0@example.com' }]);
    expect(res.status).toBe(400);
  });
});
