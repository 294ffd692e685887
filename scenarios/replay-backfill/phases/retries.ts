import { formatDuration } from '../../../harness/duration.js';
import type { RunContext } from '../../../harness/scenario.js';
import { type DeliveryWatch, waitQuiet } from '../watch.js';

/**
 * 4. The vendor's own retries, until deliveries stay quiet for a while (3 s at most: half an
 * hour of vendor time at the default scale) or its documented schedule is over, within
 * `graceMs`. Retries that come later are harmless: last writer wins. Returns the events they
 * delivered, and a note when poc stopped waiting before the schedule's end.
 */
export async function awaitVendorRetries(
  ctx: RunContext,
  watch: DeliveryWatch,
  outageEndedAt: number,
  graceMs: number,
): Promise<{ readonly events: number; readonly note?: string }> {
  const { profile } = ctx.target.vendor;
  const timeScale = ctx.target.timeScale;
  const eventsAtReopen = watch.events;
  const retrySpan = profile.webhooks.retry.value.delaysMs.reduce((a, b) => a + b, 0) / timeScale;
  const quietMs = Math.min(3000, retrySpan + 500);
  ctx.progress({ phase: 'vendor retries', done: 0, total: 1, detail: 'waiting for the vendor to retry' });
  watch.lastAcceptedAt = Date.now();
  await waitQuiet(ctx, watch, quietMs, Math.min(retrySpan + 2000, graceMs));
  const waitedMs = Date.now() - outageEndedAt;
  const events = watch.events - eventsAtReopen;
  if (retrySpan <= waitedMs) return { events };
  return {
    events,
    note: `${profile.name} retries for ${formatDuration(retrySpan * timeScale)}; poc waited ${formatDuration(waitedMs * timeScale)} of vendor time (quiet for ${formatDuration(quietMs * timeScale)}) and recovered the rest itself`,
  };
}
