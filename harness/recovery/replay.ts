import type { LocalStore } from '../pipeline/local-store.js';
import type { ChangeFeed, FeedChange } from '../vendors/types.js';
import { applyPage, emptyTally, type RecoveryTally } from './apply.js';

export type ReplayOutcome =
  | { readonly replayable: true; readonly tally: RecoveryTally; readonly position: string }
  | { readonly replayable: false; readonly detail: string };

/**
 * Reads the vendor's change feed from a stored position and applies every change. A replay feed
 * (CDC) hands back events, applied at their own commit time; a delta link hands back current
 * rows, applied as of when they were read, like a backfill page.
 */
export async function replayFeed(
  feed: ChangeFeed,
  store: LocalStore,
  objectType: string,
  position: string,
  options: { readonly signal?: AbortSignal; readonly onPage?: (tally: RecoveryTally) => void } = {},
): Promise<ReplayOutcome> {
  const tally = emptyTally();
  let at = position;
  for (;;) {
    options.signal?.throwIfAborted();
    const readAt = Date.now();
    const page = await feed.read(objectType, at);
    if (page.expired) return { replayable: false, detail: page.detail };
    const asOf =
      feed.kind === 'replay-id' ? (c: FeedChange) => (c.deleted ? c.deletedAt : c.modifiedAt) : () => readAt;
    applyPage(store, objectType, page.changes, asOf, tally);
    options.onPage?.(tally);
    at = page.position;
    if (!page.more) return { replayable: true, tally, position: at };
  }
}
