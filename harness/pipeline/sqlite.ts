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
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'power-loss' ? 'FULL' : 'NORMAL'}`);
  return db;
}
