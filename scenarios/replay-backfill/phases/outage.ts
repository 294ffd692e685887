import { type HistoryGenerator, OUTAGE_MIX } from '../../../harness/recovery/history.js';
import type { RunContext } from '../../../harness/scenario.js';
import { writeRecords } from '../../../harness/targets/record-writes.js';
import type { CrmApi } from '../../../harness/vendors/types.js';
import { sleep } from '../../../harness/wait.js';
import type { RecoveryPlan } from '../plan.js';

export interface Outage {
  readonly changes: number;
  /** Deliveries refused with 503 while down. */
  readonly refused: number;
  /** Its start by the vendor's clock (simulated on the mock). */
  readonly from: number;
  readonly startedAt: number;
  readonly endedAt: number;
}

/**
 * 3. The receiver answers 503, as a load balancer does for a down service, while changes keep
 * happening, stamped inside the window and spread over the real downtime so the vendor's
 * retries meet an outage of the right length.
 */
export async function runOutage(
  ctx: RunContext,
  api: CrmApi,
  plan: RecoveryPlan,
  history: HistoryGenerator,
  outageMs: number,
): Promise<Outage> {
  ctx.progress({ phase: 'outage', done: 0, total: plan.outageChanges, detail: 'receiver down' });
  const startedAt = Date.now();
  const from = plan.live ? startedAt : startedAt - outageMs;
  const refused0 = ctx.pipeline.refusedWhileDown;
  ctx.pipeline.setDown(true);
  let made = 0;
  try {
    const chunkCount = Math.ceil(plan.outageChanges / plan.outageChunk);
    let c = 0;
    for (const chunk of history.chunks(
      plan.outageChanges,
      from,
      from + outageMs,
      plan.outageChunk,
      OUTAGE_MIX,
    )) {
      if (ctx.signal.aborted) break;
      const due = startedAt + (plan.realDowntimeMs * c++) / chunkCount;
      if (due > Date.now()) await sleep(due - Date.now(), ctx.signal);
      await writeRecords(ctx, api, chunk.inputs, Math.min(chunk.at, Date.now()));
      made += chunk.inputs.length;
      ctx.progress({ phase: 'outage', done: made, total: plan.outageChanges, detail: 'receiver down' });
    }
    const left = startedAt + plan.realDowntimeMs - Date.now();
    if (left > 0) await sleep(left, ctx.signal);
  } finally {
    ctx.pipeline.setDown(false);
  }
  return {
    changes: made,
    refused: ctx.pipeline.refusedWhileDown - refused0,
    from,
    startedAt,
    endedAt: Date.now(),
  };
}
