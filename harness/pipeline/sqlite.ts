import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export type Durability = 'power-loss' | 'process-crash';

/**
 * Opens a SQLite file in WAL mode. `power-loss` fsyncs every commit (synchronous=FULL);
 * `process-crash` leaves the WAL to the OS (synchronous=NORMAL): it survives kill -9, not a
 * power cut, and is several times faster. The receiver's inbox opens its own connection with
 * `process-crash` and, for power-loss durability, fsyncs each group commit itself off the event
 * loop (wal-sync.ts), so an fsync never stalls the deliveries that arrive meanwhile.
 */
export function openDb(file: string, durability: Durability = 'power-loss'): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // The timeout first: two processes opening a fresh file race to switch it to WAL, and the
  // loser must wait for the winner instead of failing with "database is locked".
  db.pragma('busy_timeout = 5000');
  switchToWal(db);
  db.pragma(`synchronous = ${durability === 'power-loss' ? 'FULL' : 'NORMAL'}`);
  return db;
}

/**
 * SQLite answers the switch to WAL with SQLITE_BUSY at once, without its busy handler, while
 * another connection holds a lock on the file (a second command opening a fresh store, or one
 * migrating it): wait a little and try again, up to the busy timeout.
 */
function switchToWal(db: Db, timeoutMs = 5000): void {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
    }
  }
}
