import type { z } from 'zod';
import type { Target } from '../../harness/targets/types.js';
import type { replayBackfillOptions } from './definition.js';

export type ReplayBackfillOptions = z.output<typeof replayBackfillOptions>;

/**
 * How big the run is and where its history sits in time, decided once. On the mock the history
 * is simulated vendor time ending a minute before the outage's simulated start, written through
 * the firehose; live, every change is an API write made now, so it is kept to a few batches.
 */
export interface RecoveryPlan {
  readonly live: boolean;
  readonly changes: number;
  readonly outageChanges: number;
  /** The history's span, by the vendor's clock (epoch ms). */
  readonly historyFrom: number;
  readonly historyTo: number;
  /** Changes per write: the vendor's batch size live, the firehose's chunks on the mock. */
  readonly historyChunk: number;
  readonly outageChunk: number;
  /** Whether the history merges records (only on a mock of a vendor that merges). */
  readonly merges: boolean;
  /** How long the receiver is really down: the outage in vendor time, compressed by the time scale. */
  readonly realDowntimeMs: number;
  /** What the plan changed from what was asked, for the notes. */
  readonly notes: readonly string[];
}

export function planRecovery(target: Target, opts: ReplayBackfillOptions, now = Date.now()): RecoveryPlan {
  const profile = target.vendor.profile;
  const live = !target.admin;
  const batch = profile.batchMax.value;
  const changes = live ? Math.min(opts.changes, batch * 10) : opts.changes;
  const historyTo = live ? now : now - opts.outage - 60_000;
  return {
    live,
    changes,
    outageChanges: live ? Math.min(opts.outageChanges, batch * 5) : opts.outageChanges,
    historyFrom: live ? now : historyTo - opts.history,
    historyTo,
    historyChunk: live ? batch : 100,
    outageChunk: live ? batch : 50,
    merges: !live && profile.mergesRecords?.value === true,
    realDowntimeMs: Math.max(200, opts.outage / target.timeScale),
    notes:
      live && changes < opts.changes
        ? [
            `live: the history is ${changes} API writes (creates and updates) to spare the quota, in real time`,
          ]
        : [],
  };
}
