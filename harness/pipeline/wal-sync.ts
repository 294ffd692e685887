import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommitSync } from './inbox.js';
import type { Db } from './sqlite.js';

/**
 * Makes the commits of a WAL-mode connection that runs with synchronous=NORMAL durable without
 * blocking the event loop. Such a commit writes its WAL frames and returns without waiting for
 * the disk; `sync` then fdatasyncs the WAL file on libuv's thread pool. Once it calls back
 * without an error, every commit made before the call is on disk, as synchronous=FULL would
 * have left it, and the event loop went on serving requests while the disk worked.
 *
 * It relies on what SQLite documents for WAL mode: committed frames are only ever appended,
 * never rewritten until a checkpoint has copied them into the database file and synced it
 * (NORMAL syncs both sides of every checkpoint), and the WAL file stays the same file while
 * any connection to the database is open.
 */
export class WalSync implements CommitSync {
  private fd: number | undefined;

  /** Call once the connection has written (its WAL file exists from then on). */
  constructor(db: Db) {
    const wal = `${db.name}-wal`;
    // Read-write without O_CREAT: a missing WAL means the connection is not what we think.
    this.fd = openSync(wal, 'r+');
    // SQLite syncs the directory on a new WAL's first sync (FULL does it at the first commit);
    // NORMAL would leave that to the first checkpoint, so do it here, once. Like SQLite, ignore
    // a file system that cannot open a directory for syncing.
    try {
      const dir = openSync(dirname(wal), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    } catch {
      // No directory sync on this platform: nothing more can be done.
    }
  }

  /** Calls back once every commit made before this call is on disk, or with why it is not. */
  sync(done: (err: Error | null) => void): void {
    if (this.fd === undefined) {
      done(new Error('the WAL sync is closed'));
      return;
    }
    fdatasync(this.fd, done);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
