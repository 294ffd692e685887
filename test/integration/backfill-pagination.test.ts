import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../harness/pipeline/local-store.js';
import { type Db, openDb } from '../../harness/pipeline/sqlite.js';
import { backfillDeleted, backfillModified } from '../../harness/recovery/backfill.js';
import { reconcile } from '../../harness/recovery/reconcile.js';
import { startMockTarget } from '../../harness/targets/mock.js';
import type { FirehoseInput, Target } from '../../harness/targets/types.js';
import { getVendor } from '../../harness/vendors/index.js';
import type { CrmApi } from '../../harness/vendors/types.js';
import { tempDir } from '../helpers/servers.js';

/**
 * The edge cases of a modified-since backfill, on every vendor's mock through its own adapter:
 * a group of records sharing one timestamp across a page boundary, records updated while the
 * backfill pages (offset paging would skip one for each), records deleted while it pages.
 * Page sizes are the largest each adapter asks for on the modified-since query.
 */
const PAGE: Readonly<Record<string, number>> = {
  hubspot: 200,
  salesforce: 2000,
  pipedrive: 500,
  zoho: 200,
  dynamics: 5000,
  standard: 1000,
};

const DAY = 86_400_000;

interface Rig {
  target: Target;
  api: CrmApi;
  store: LocalStore;
  db: Db;
}

async function rig(vendorId: string, dir: string): Promise<Rig> {
  const vendor = getVendor(vendorId);
  const target = await startMockTarget(vendor, { faults: [], timeScale: 1 });
  const api = vendor.api({
    baseUrl: target.baseUrl,
    token: target.credentials.token,
    webhookSecret: target.credentials.webhookSecret,
    settings: target.settings,
  });
  const db = openDb(join(dir, `${vendorId}-${Math.random().toString(36).slice(2)}.db`));
  return { target, api, store: new LocalStore(db), db };
}

const person = (tag: string, i: number): FirehoseInput => ({
  externalId: `${tag}-${i}@poc.example`,
  fields: {
    email: `${tag}-${i}@poc.example`,
    firstname: `First${i}`,
    lastname: `Last${i}`,
    phone: `+1555${String(i).padStart(7, '0')}`,
  },
});

/** `count` people, `perChunk` per timestamp, one second apart, starting `fromMs`. */
async function seed(r: Rig, tag: string, count: number, perChunk: number, fromMs: number): Promise<void> {
  for (let start = 0, c = 0; start < count; start += perChunk, c++) {
    const inputs = Array.from({ length: Math.min(perChunk, count - start) }, (_, k) =>
      person(tag, start + k),
    );
    for (let i = 0; i < inputs.length; i += 1000)
      await r.target.admin?.firehose('contacts', inputs.slice(i, i + 1000), fromMs + c * 1000);
  }
}

describe.each(Object.keys(PAGE))('backfill edge cases on the %s mock', (vendorId) => {
  const dir = tempDir(`poc-backfill-${vendorId}-`);
  const page = PAGE[vendorId] as number;
  const rigs: Rig[] = [];
  const open = async () => {
    const r = await rig(vendorId, dir.path);
    rigs.push(r);
    return r;
  };
  beforeAll(() => undefined);
  afterAll(async () => {
    for (const r of rigs) {
      r.db.close();
      await r.target.stop();
    }
    dir.remove();
  });

  it(`takes every record of a ${page + 50}-record group sharing one timestamp across a page boundary`, async () => {
    const r = await open();
    const t0 = Date.now() - DAY;
    await seed(r, 'tie', page + 50, page + 50, t0);
    await seed(r, 'after', 30, 30, t0 + 5000);
    const tally = await backfillModified(r.api, r.store, 'contacts', t0 - 60_000);
    expect(tally.created).toBe(page + 80);
    const report = await reconcile(r.api, r.store, r.db, 'contacts');
    expect(report).toMatchObject({ vendorRecords: page + 80, missing: 0, stale: 0, extra: 0, duplicates: 0 });
  }, 180_000);

  it('misses nothing when records it already read and records it has not read yet change while it pages', async () => {
    const r = await open();
    const count = Math.round(page * 2.5);
    const t0 = Date.now() - DAY;
    await seed(r, 'upd', count, 100, t0);
    let changed = false;
    const tally = await backfillModified(r.api, r.store, 'contacts', t0 - 60_000, {
      betweenPages: async () => {
        if (changed) return;
        changed = true;
        // Moves 20 read and 20 unread records to the end of the order: an offset cursor would now skip 40.
        const touched = [
          ...Array.from({ length: 20 }, (_, i) => i),
          ...Array.from({ length: 20 }, (_, i) => count - 1 - i),
        ];
        await r.target.admin?.firehose(
          'contacts',
          touched.map((i) => ({ externalId: `upd-${i}@poc.example`, fields: { lastname: `Moved${i}` } })),
          Date.now(),
        );
      },
    });
    expect(changed).toBe(true);
    expect(tally.created).toBe(count);
    const report = await reconcile(r.api, r.store, r.db, 'contacts');
    expect(report).toMatchObject({ vendorRecords: count, missing: 0, stale: 0, extra: 0, duplicates: 0 });
  }, 180_000);

  it('handles records deleted while it pages: unread ones never arrive, read ones go through the deleted list or reconcile', async () => {
    const r = await open();
    const count = Math.round(page * 2.5);
    const t0 = Date.now() - DAY;
    await seed(r, 'del', count, 100, t0);
    let deleted = false;
    await backfillModified(r.api, r.store, 'contacts', t0 - 60_000, {
      betweenPages: async () => {
        if (deleted) return;
        deleted = true;
        const gone = [
          ...Array.from({ length: 20 }, (_, i) => i),
          ...Array.from({ length: 20 }, (_, i) => count - 1 - i),
        ];
        await r.target.admin?.firehose(
          'contacts',
          gone.map((i) => ({ externalId: `del-${i}@poc.example`, fields: {}, deleted: true })),
          Date.now(),
        );
      },
    });
    expect(deleted).toBe(true);
    const deletedList = await backfillDeleted(r.api, r.store, 'contacts', t0 - 60_000);
    const report = await reconcile(r.api, r.store, r.db, 'contacts');
    expect(report).toMatchObject({ vendorRecords: count - 40, missing: 0, stale: 0, duplicates: 0 });
    // The 20 unread ones never reached the store; the 20 read ones are removed by the vendor's
    // deleted list where it keeps one, and otherwise only a reconcile can find them.
    if (deletedList) {
      expect(deletedList.deleted).toBe(20);
      expect(report.extra).toBe(0);
    } else expect(report.extra).toBe(20);
  }, 180_000);
});
