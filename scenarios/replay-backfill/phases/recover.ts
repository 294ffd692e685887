import { formatDuration } from '../../../harness/duration.js';
import type { RecoveryTally } from '../../../harness/recovery/apply.js';
import { backfillDeleted, backfillModified } from '../../../harness/recovery/backfill.js';
import { replayFeed } from '../../../harness/recovery/replay.js';
import type { RunContext } from '../../../harness/scenario.js';
import type { ApiCounters } from '../../../harness/targets/connect.js';
import type { CrmApi } from '../../../harness/vendors/types.js';
import { measured, type Phase } from '../watch.js';

const OBJECT = 'contacts';

export interface Recovery {
  readonly replay?: RecoveryTally;
  /** Why the feed could not resume from the position held before the outage. */
  readonly replayExpired?: string;
  readonly backfill?: RecoveryTally;
  readonly deletedBackfill?: RecoveryTally;
  readonly notes: readonly string[];
}

/** The phase name a feed's replay is recorded under. */
export const feedPhase = (kind: 'replay-id' | 'delta-link') =>
  kind === 'replay-id' ? 'replay' : 'delta link';

/**
 * 6. Recovery in the vendor's order of preference: its change feed from `position`, else a
 * modified-since backfill from `watermark` plus its deleted list where it keeps one.
 */
export async function recover(
  ctx: RunContext,
  api: CrmApi,
  counters: ApiCounters,
  phases: Phase[],
  from: { readonly position: string | undefined; readonly watermark: number; readonly outageMs: number },
): Promise<Recovery> {
  const { profile } = ctx.target.vendor;
  const { signal } = ctx;
  const feed = api.changeFeed;
  const notes: string[] = [];
  const expired = (detail: string) =>
    `not replayable: the outage (${formatDuration(from.outageMs)}) outlived the ${feed?.kind} retention of ${formatDuration(feed?.retentionMs.value ?? 0)}: ${detail}`;
  let replay: RecoveryTally | undefined;
  let replayExpired: string | undefined;
  if (feed && from.position === undefined) {
    replayExpired = `${profile.name} retains no change from before the outage`;
    notes.push(expired(replayExpired));
  } else if (feed && from.position !== undefined) {
    const position = from.position;
    const outcome = await measured(phases, feedPhase(feed.kind), counters, () =>
      replayFeed(feed, ctx.pipeline.store, OBJECT, position, {
        signal,
        onPage: (t) =>
          ctx.progress({ phase: 'replay', done: t.fetched, total: t.fetched, detail: 'changes' }),
      }),
    );
    if (outcome.replayable) replay = outcome.tally;
    else {
      replayExpired = outcome.detail;
      notes.push(expired(outcome.detail));
    }
  } else {
    notes.push(
      `${profile.name} offers no replay (${profile.webhooks.replay.source}): recovery is a backfill`,
    );
  }
  if (replay) return { replay, notes };

  const progress = (t: RecoveryTally) =>
    ctx.progress({ phase: 'backfill', done: t.fetched, total: t.fetched, detail: `${t.pages} pages` });
  const backfill = await measured(phases, 'modified-since backfill', counters, () =>
    backfillModified(api, ctx.pipeline.store, OBJECT, from.watermark, { signal, onPage: progress }),
  );
  // After the modified pages, so records deleted while they were paged are listed too.
  const deletedBackfill = await measured(phases, 'deleted list', counters, () =>
    backfillDeleted(api, ctx.pipeline.store, OBJECT, from.watermark, { signal, onPage: progress }),
  );
  if (!deletedBackfill) {
    phases.pop();
    notes.push(
      `${profile.name} lists no deleted records: deletions missed in the outage are found by reconcile`,
    );
  }
  return {
    ...(replayExpired === undefined ? {} : { replayExpired }),
    backfill,
    ...(deletedBackfill ? { deletedBackfill } : {}),
    notes,
  };
}
