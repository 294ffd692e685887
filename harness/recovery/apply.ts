import { type LocalStore, recordKey, type StateOutcome } from '../pipeline/local-store.js';
import type { FeedChange } from '../vendors/types.js';

/** What one recovery mechanism did to the local store. */
export interface RecoveryTally {
  /** Records (or changes, for a feed) the vendor handed back. */
  fetched: number;
  created: number;
  updated: number;
  deleted: number;
  /** Handed back but already right locally. */
  unchanged: number;
  /** Vendor pages read (each one API call at least). */
  pages: number;
}

export function emptyTally(): RecoveryTally {
  return { fetched: 0, created: 0, updated: 0, deleted: 0, unchanged: 0, pages: 0 };
}

/** Records the mechanism actually changed locally. */
export function recovered(t: RecoveryTally): number {
  return t.created + t.updated + t.deleted;
}

/** Applies a page of vendor states to the store in one transaction and counts the outcomes. */
export function applyPage(
  store: LocalStore,
  objectType: string,
  changes: readonly FeedChange[],
  asOf: (change: FeedChange) => number,
  tally: RecoveryTally,
): void {
  const outcomes: StateOutcome[] = store.transaction(() =>
    changes.map((c) => store.applyState({ ...c, id: recordKey(objectType, c.id) }, asOf(c))),
  );
  tally.pages++;
  tally.fetched += changes.length;
  for (const o of outcomes) tally[o]++;
}
