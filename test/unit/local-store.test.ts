import { describe, expect, it } from 'vitest';
import { LocalStore } from '../../harness/pipeline/local-store.js';
import { openDb } from '../../harness/pipeline/sqlite.js';
import type { VendorEvent } from '../../harness/vendors/types.js';

const event = (
  action: VendorEvent['action'],
  occurredAt: number,
  fields: Record<string, string> = {},
): VendorEvent => ({
  key: `k${occurredAt}`,
  objectId: '7',
  type: `contact.${action}`,
  action,
  occurredAt,
  attempt: 0,
  fields,
});

describe('local store: last writer wins on the vendor’s occurredAt', () => {
  it('keeps the newest value and ignores late deletes, but a newer delete wins until a newer change', () => {
    const db = openDb(':memory:');
    const store = new LocalStore(db);
    const row = () =>
      db.prepare("SELECT deleted_at AS deletedAt FROM records WHERE object_id = '7'").get() as {
        deletedAt: number | null;
      };
    const value = () =>
      db
        .prepare("SELECT value FROM record_properties WHERE object_id = '7' AND name = 'email'")
        .pluck()
        .get();
    store.apply(event('update', 20, { email: 'new@x.io' }));
    store.apply(event('update', 10, { email: 'old@x.io' }));
    expect(value()).toBe('new@x.io');
    store.apply(event('delete', 15));
    expect(row().deletedAt).toBeNull();
    store.apply(event('delete', 30));
    expect(row().deletedAt).toBe(30);
    store.apply(event('update', 25, { email: 'stale@x.io' }));
    expect(row().deletedAt).toBe(30);
    store.apply(event('create', 40, { email: 'back@x.io' }));
    expect(row().deletedAt).toBeNull();
    expect(value()).toBe('back@x.io');
    expect(store.apply(event(undefined, 50))).toMatchObject({ applied: false });
    db.close();
  });
});
