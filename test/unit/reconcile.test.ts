import { describe, expect, it } from 'vitest';
import { LocalStore } from '../../harness/pipeline/local-store.js';
import { openDb } from '../../harness/pipeline/sqlite.js';
import { reconcile } from '../../harness/recovery/reconcile.js';
import { getVendor } from '../../harness/vendors/index.js';
import type { CrmApi, RecordPage, RecordState } from '../../harness/vendors/types.js';

const person = (id: string, lastname = 'Lee'): RecordState => ({
  id,
  modifiedAt: 1_000,
  fields: { email: `${id}@poc.example`, firstname: 'Ann', lastname, phone: '+15550000000' },
});

/** A vendor whose snapshot pages are given as is: the pagination defects reconcile must catch. */
function vendorWithPages(pages: readonly (readonly RecordState[])[]): CrmApi {
  return {
    async listRecords(_type: string, cursor: string | undefined): Promise<RecordPage> {
      const i = cursor === undefined ? 0 : Number(cursor);
      return { records: pages[i] ?? [], ...(i + 1 < pages.length ? { cursor: String(i + 1) } : {}) };
    },
  } as unknown as CrmApi;
}

function storeWith(records: readonly RecordState[]) {
  const db = openDb(':memory:');
  const store = new LocalStore(db);
  store.transaction(() => {
    for (const r of records) store.applyState({ deleted: false, ...r }, 2_000);
  });
  return { db, store };
}

describe('reconcile', () => {
  it('counts a record the snapshot hands back again on a later page, or twice on one page, as a duplicate', async () => {
    const { db, store } = storeWith([person('a'), person('b'), person('c')]);
    const across = await reconcile(
      vendorWithPages([
        [person('a'), person('b')],
        [person('b'), person('c')],
      ]),
      store,
      db,
      'contacts',
    );
    expect(across).toMatchObject({ vendorRecords: 3, matched: 3, duplicates: 1, missing: 0, extra: 0 });
    expect(across.samples).toContainEqual({ kind: 'duplicate', id: 'b', detail: expect.any(String) });
    const within = await reconcile(
      vendorWithPages([[person('a'), person('a'), person('b')], [person('c')]]),
      store,
      db,
      'contacts',
    );
    expect(within).toMatchObject({ vendorRecords: 3, matched: 3, duplicates: 1 });
  });

  it('tells missing, stale and extra apart and repairs them from the snapshot', async () => {
    const { db, store } = storeWith([person('a'), person('b', 'Old'), person('x')]);
    const api = vendorWithPages([[person('a'), person('b', 'New')], [person('c')]]);
    const found = await reconcile(api, store, db, 'contacts', { repair: true });
    expect(found).toMatchObject({ matched: 1, stale: 1, missing: 1, extra: 1, repaired: 3 });
    expect(await reconcile(api, store, db, 'contacts')).toMatchObject({
      matched: 3,
      stale: 0,
      missing: 0,
      extra: 0,
    });
  });

  it('keeps other object types apart: a HubSpot company with a contact’s id is neither merged into it nor an extra', async () => {
    const hubspot = getVendor('hubspot').webhooks({ secrets: ['unused'] });
    const event = (
      subscriptionType: string,
      propertyName: string,
      propertyValue: string,
      eventId: number,
    ) => ({
      eventId,
      subscriptionId: 7,
      portalId: 62515,
      occurredAt: 1_000 + eventId,
      attemptNumber: 0,
      objectId: 1001,
      subscriptionType,
      propertyName,
      propertyValue,
    });
    const events = hubspot.parse(
      Buffer.from(
        JSON.stringify([
          event('contact.propertyChange', 'email', '1001@poc.example', 1),
          event('contact.propertyChange', 'firstname', 'Ann', 2),
          event('contact.propertyChange', 'lastname', 'Lee', 3),
          event('contact.propertyChange', 'phone', '+15550000000', 4),
          event('company.propertyChange', 'name', 'Acme', 5),
        ]),
      ),
    );
    expect(events.map((e) => e.objectType)).toEqual([
      'contacts',
      'contacts',
      'contacts',
      'contacts',
      'companies',
    ]);
    const db = openDb(':memory:');
    const store = new LocalStore(db);
    store.transaction(() => {
      for (const e of events) store.apply(e);
    });
    expect(store.read('companies/1001')?.fields.get('name')?.value).toBe('Acme');
    expect(store.read('1001')?.fields.has('name')).toBe(false);
    const report = await reconcile(vendorWithPages([[person('1001')]]), store, db, 'contacts', {
      repair: true,
    });
    expect(report).toMatchObject({ matched: 1, extra: 0, localRecords: 1, repaired: 0 });
    expect(store.read('companies/1001')?.deletedAt).toBeNull();
  });
});
