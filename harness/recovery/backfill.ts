import type { LocalStore } from '../pipeline/local-store.js';
import type { CrmApi, FeedChange, RecordState } from '../vendors/types.js';
import { applyPage, emptyTally, type RecoveryTally } from './apply.js';

export interface BackfillOptions {
  readonly signal?: AbortSignal;
  /** Called after each page, for progress. */
  readonly onPage?: (tally: RecoveryTally) => void;
  /**
   * Called between pages (tests change records while the backfill pages, as users of a live
   * CRM do); never used by scenarios.
   */
  readonly betweenPages?: (page: number) => Promise<void>;
}

const asState = (r: RecordState): FeedChange => ({ deleted: false, ...r });

/**
 * Backfill through the vendor's modified-since search, keyset by time: every page is a fresh
 * query from the newest modified time seen so far, skipping the records already taken at that
 * exact time. Offsets are never trusted across pages, because a record updated while the backfill
 * pages moves to the end of the order and shifts every offset after it, which silently skips a
 * record at most vendors. Only inside a group of records sharing one timestamp larger than a page
 * does it follow the vendor's own cursor, since a fresh query would return the same page again.
 * Records updated during the backfill are seen again at their new time; deleted ones simply
 * stop appearing. Each page is applied as of when it was read (see LocalStore.applyState).
 */
export async function backfillModified(
  api: CrmApi,
  store: LocalStore,
  objectType: string,
  since: number,
  options: BackfillOptions = {},
): Promise<RecoveryTally> {
  const tally = emptyTally();
  let from = since;
  let takenAtFrom = new Set<string>();
  for (;;) {
    // Pages hold as of when they were asked for (see reconcile's fetchPage).
    let readAt = Date.now();
    let page = await api.listModifiedSince(objectType, from, undefined);
    for (;;) {
      options.signal?.throwIfAborted();
      let newest = from;
      let takenAtNewest = takenAtFrom;
      const fresh: FeedChange[] = [];
      for (const r of page.records) {
        // Taken already at this exact time. (Records before `from` come back only where a vendor
        // rounds `since` down to its clock's precision; applying them again is harmless.)
        if (r.modifiedAt === from && takenAtFrom.has(r.id)) continue;
        fresh.push(asState(r));
        if (r.modifiedAt > newest) {
          newest = r.modifiedAt;
          takenAtNewest = new Set();
        }
        takenAtNewest.add(r.id);
      }
      applyPage(store, objectType, fresh, () => readAt, tally);
      options.onPage?.(tally);
      if (page.cursor === undefined) return tally;
      await options.betweenPages?.(tally.pages);
      if (newest > from) {
        from = newest;
        takenAtFrom = takenAtNewest;
        break;
      }
      // The whole page shares the timestamp `from`: continue the same query inside the group.
      takenAtFrom = takenAtNewest;
      readAt = Date.now();
      page = await api.listModifiedSince(objectType, from, page.cursor);
    }
  }
}

/** Applies the vendor's list of records deleted since `since`, where it keeps one. */
export async function backfillDeleted(
  api: CrmApi,
  store: LocalStore,
  objectType: string,
  since: number,
  options: BackfillOptions = {},
): Promise<RecoveryTally | undefined> {
  if (!api.listDeletedSince) return undefined;
  const tally = emptyTally();
  let cursor: string | undefined;
  do {
    options.signal?.throwIfAborted();
    const readAt = Date.now();
    const page = await api.listDeletedSince(objectType, since, cursor);
    const changes: FeedChange[] = page.records.map((r) => ({ deleted: true, ...r }));
    // A record in the deleted list is gone now, whatever its local history: as of the read.
    applyPage(store, objectType, changes, () => readAt, tally);
    options.onPage?.(tally);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return tally;
}
