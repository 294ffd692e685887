import { HISTORY_MIX, type HistoryGenerator } from '../../../harness/recovery/history.js';
import type { RunContext } from '../../../harness/scenario.js';
import { writeRecords } from '../../../harness/targets/record-writes.js';
import type { CrmApi } from '../../../harness/vendors/types.js';
import type { RecoveryPlan } from '../plan.js';
import { type DeliveryWatch, waitQuiet } from '../watch.js';

/** 1. The history, in simulated time, delivered to the receiver; returns the changes made. */
export async function writeHistory(
  ctx: RunContext,
  api: CrmApi,
  plan: RecoveryPlan,
  history: HistoryGenerator,
  watch: DeliveryWatch,
): Promise<number> {
  let made = 0;
  for (const chunk of history.chunks(
    plan.changes,
    plan.historyFrom,
    plan.historyTo,
    plan.historyChunk,
    HISTORY_MIX,
  )) {
    if (ctx.signal.aborted) break;
    await writeRecords(ctx, api, chunk.inputs, chunk.at);
    made += chunk.inputs.length;
    ctx.progress({
      phase: 'history',
      done: made,
      total: plan.changes,
      detail: `${watch.events} events received`,
    });
  }
  await waitQuiet(ctx, watch, 1500, 10 * 60_000);
  return made;
}
