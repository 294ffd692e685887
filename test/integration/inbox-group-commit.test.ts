import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppendResult, type CommitSync, Inbox } from '../../harness/pipeline/inbox.js';
import { LocalStore } from '../../harness/pipeline/local-store.js';
import { Processor } from '../../harness/pipeline/processor.js';
import { type Db, openDb } from '../../harness/pipeline/sqlite.js';
import { WalSync } from '../../harness/pipeline/wal-sync.js';
import type { VendorEvent } from '../../harness/vendors/types.js';
import { tempDir } from '../helpers/servers.js';

// The inbox's group commit on a real SQLite file: who shares a transaction, when a delivery is
// acknowledged, and what a failed commit or a failed sync does to each delivery of its group.

function event(id: number): VendorEvent {
  return {
    key: `62515:1:${1000 + id}:${id}:${1_700_000_000_000 + id}`,
    objectId: String(1000 + id),
    type: 'contact.propertyChange',
    action: 'update',
    occurredAt: 1_700_000_000_000 + id,
    attempt: 0,
    fields: { poc_seq: `v${id}` },
  };
}

/** A CommitSync whose syncs complete only when the test says so. */
class HeldSync implements CommitSync {
  readonly pending: ((err: Error | null) => void)[] = [];
  calls = 0;
  sync(done: (err: Error | null) => void): void {
    this.calls++;
    this.pending.push(done);
  }
  release(err: Error | null = null): void {
    const done = this.pending.shift();
    if (!done) throw new Error('no sync is waiting');
    done(err);
  }
  close(): void {}
}

/** Tracks a promise's outcome without awaiting it. */
function track(p: Promise<AppendResult>) {
  const t: { result?: AppendResult; error?: unknown } = {};
  p.then(
    (r) => {
      t.result = r;
    },
    (e) => {
      t.error = e;
    },
  );
  return t;
}

const turn = () => new Promise((r) => setImmediate(r));

describe('inbox group commit', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  const open: Inbox[] = [];
  afterEach(async () => {
    // Bounded: after a failed assertion a held sync may never complete, and close waits for it.
    const settle = () => new Promise((r) => setTimeout(r, 1000));
    for (const inbox of open.splice(0)) await Promise.race([inbox.close().catch(() => {}), settle()]);
    for (const d of dirs.splice(0)) d.remove();
  });

  function setup(sync?: (db: Db) => CommitSync) {
    const dir = tempDir('poc-inbox-');
    dirs.push(dir);
    const file = join(dir.path, 'pipeline.db');
    const inbox = new Inbox(openDb(file, 'process-crash'), sync ? { sync } : {});
    open.push(inbox);
    const reader = openDb(file, 'process-crash');
    const count = (sql: string) => reader.prepare(sql).pluck().get() as number;
    return { inbox, file, reader, count };
  }

  it('counts the same event twice inside one group as one accepted and one duplicate, one row', async () => {
    expect.assertions(5);
    const { inbox, count, reader } = setup();
    const [first, second] = await Promise.all([
      inbox.append([event(1)], Date.now()),
      inbox.append([event(1)], Date.now()),
    ]);
    expect(first).toEqual({ fresh: [event(1)], duplicates: 0 });
    expect(second).toEqual({ fresh: [], duplicates: 1 });
    // Within one delivery too: the repeat is a duplicate, the others stay in order.
    const within = await inbox.append([event(2), event(3), event(2), event(4)], Date.now());
    expect(within).toEqual({ fresh: [event(2), event(3), event(4)], duplicates: 1 });
    expect(count('SELECT COUNT(*) FROM dedupe')).toBe(4);
    expect(count('SELECT COUNT(*) FROM queue')).toBe(2);
    reader.close();
  });

  it('holds back what arrives during a sync, then commits it as one group and acknowledges after its sync', async () => {
    const held = new HeldSync();
    const { inbox, count, reader } = setup(() => held);
    const a = track(inbox.append([event(10)], Date.now()));
    await turn();
    expect(held.calls).toBe(1);
    // Committed, not yet on disk: no acknowledgement.
    expect(count('SELECT COUNT(*) FROM queue')).toBe(1);
    await turn();
    expect(a).toEqual({});

    const b = track(inbox.append([event(11)], Date.now()));
    await turn();
    const c = track(inbox.append([event(12), event(10)], Date.now()));
    await turn();
    // B and C arrived over two turns while A's sync ran: neither is committed yet.
    expect(count('SELECT COUNT(*) FROM queue')).toBe(1);
    expect(held.calls).toBe(1);

    held.release();
    await turn();
    expect(a.result).toEqual({ fresh: [event(10)], duplicates: 0 });
    // One transaction for both, then one sync for both.
    expect(held.calls).toBe(2);
    expect(count('SELECT COUNT(*) FROM queue')).toBe(3);
    expect(b).toEqual({});
    expect(c).toEqual({});

    held.release();
    await turn();
    expect(b.result).toEqual({ fresh: [event(11)], duplicates: 0 });
    expect(c.result).toEqual({ fresh: [event(12)], duplicates: 1 });
    expect(inbox.depth).toBe(3);
    reader.close();
  });

  it('keeps a ready group open while each turn brings more deliveries, then commits them as one', async () => {
    const held = new HeldSync();
    const { inbox, count, reader } = setup(() => held);
    // Queued ahead of the inbox's own check, so each lands in the turn before that check runs.
    setImmediate(() => {
      track(inbox.append([event(51)], Date.now()));
      setImmediate(() => track(inbox.append([event(52)], Date.now())));
    });
    const first = track(inbox.append([event(50)], Date.now()));
    for (let i = 0; i < 5; i++) await turn();
    expect(held.calls).toBe(1);
    expect(count('SELECT COUNT(*) FROM queue')).toBe(3);
    held.release();
    await turn();
    expect(first.result).toEqual({ fresh: [event(50)], duplicates: 0 });
    reader.close();
  });

  it('does not hold a group open for long, however steadily deliveries arrive', async () => {
    const { inbox, reader } = setup();
    const first = track(inbox.append([event(60)], Date.now()));
    // A delivery every turn, until the first is acknowledged or far past the 2 ms hold.
    const started = Date.now();
    let next = 61;
    while (!first.result && Date.now() - started < 500) {
      track(inbox.append([event(next++)], Date.now()));
      await turn();
    }
    expect(first.result).toEqual({ fresh: [event(60)], duplicates: 0 });
    reader.close();
  });

  it('fails every delivery of a group whose commit fails, keeps none of it, and commits the next group', async () => {
    const { inbox, count, reader } = setup();
    // A real failure inside the transaction: SQLite aborts on the poison event's row.
    reader.exec(`CREATE TRIGGER poison BEFORE INSERT ON queue WHEN NEW.events LIKE '%"v666"%'
      BEGIN SELECT RAISE(ABORT, 'planted failure'); END`);
    const good = track(inbox.append([event(20)], Date.now()));
    const bad = track(inbox.append([event(666)], Date.now()));
    const alsoGood = track(inbox.append([event(21)], Date.now()));
    await turn();
    await turn();
    for (const t of [good, bad, alsoGood]) {
      expect(t.result).toBeUndefined();
      expect(String(t.error)).toMatch(/planted failure/);
    }
    expect(count('SELECT COUNT(*) FROM dedupe')).toBe(0);
    expect(count('SELECT COUNT(*) FROM queue')).toBe(0);
    // The vendor's retry of the good ones is a first receipt, not a duplicate.
    expect(await inbox.append([event(20), event(21)], Date.now())).toEqual({
      fresh: [event(20), event(21)],
      duplicates: 0,
    });
    expect(inbox.depth).toBe(1);
    reader.close();
  });

  it('fails a group whose sync fails, and every delivery after it, even a redelivery of that group', async () => {
    const held = new HeldSync();
    const { inbox, reader } = setup(() => held);
    const a = track(inbox.append([event(30)], Date.now()));
    await turn();
    const b = track(inbox.append([event(31)], Date.now()));
    await turn();
    held.release(new Error('EIO: fdatasync failed'));
    await turn();
    await turn();
    expect(a.result).toBeUndefined();
    expect(String(a.error)).toMatch(/EIO/);
    // B waited for the next group, which must not commit behind a failed sync.
    expect(b.result).toBeUndefined();
    expect(String(b.error)).toMatch(/EIO/);
    expect(held.calls).toBe(1);
    // A redelivery of A would otherwise be answered "duplicate", 2xx, for an event that may not be on disk.
    await expect(inbox.append([event(30)], Date.now())).rejects.toThrow(/EIO/);
    reader.close();
  });

  it('makes a group durable through the real WAL sync and closes only once it is acknowledged', async () => {
    const { inbox, file, reader } = setup((db) => new WalSync(db));
    const pending = Promise.all([
      inbox.append([event(40)], Date.now()),
      inbox.append([event(41)], Date.now()),
    ]);
    // Close right away: it must wait for the commit and its sync, not cut them off.
    const closed = inbox.close();
    expect(await pending).toEqual([
      { fresh: [event(40)], duplicates: 0 },
      { fresh: [event(41)], duplicates: 0 },
    ]);
    await closed;
    open.splice(open.indexOf(inbox), 1);
    reader.close();
    const after = openDb(file, 'process-crash');
    expect(after.prepare('SELECT COUNT(*) FROM queue').pluck().get()).toBe(2);
    after.close();
  });

  it('the processor takes no row before its delivery is acknowledged (durable, receipt traced)', async () => {
    const held = new HeldSync();
    const { inbox, file, reader } = setup(() => held);
    const db = openDb(file, 'process-crash');
    const processor = new Processor(db, new LocalStore(db), 200, () => inbox.acknowledgedUpTo);
    const a = track(inbox.append([event(20)], Date.now()));
    await turn();
    // Committed and visible to the processor's connection, but its sync has not called back.
    expect(reader.prepare('SELECT COUNT(*) FROM queue').pluck().get()).toBe(1);
    expect(processor.drainOnce()).toBeUndefined();
    held.release();
    await turn();
    expect(a.result).toEqual({ fresh: [event(20)], duplicates: 0 });
    expect(processor.drainOnce()?.applied).toEqual([event(20)]);
    db.close();
    reader.close();
  });
});
