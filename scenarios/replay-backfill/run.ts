import { formatDuration } from '../../harness/duration.js';
import { recovered } from '../../harness/recovery/apply.js';
import { HistoryGenerator } from '../../harness/recovery/history.js';
import { driftCount, type ReconcileReport, reconcile } from '../../harness/recovery/reconcile.js';
import { toFindings } from '../../harness/runs/vocabulary.js';
import type { RunContext, ScenarioResult } from '../../harness/scenario.js';
import { connectApi } from '../../harness/targets/connect.js';
import type { CrmApi } from '../../harness/vendors/types.js';
import { REPLAY_BACKFILL_FINDINGS, type ReplayBackfillFinding } from './findings.js';
import { writeHistory } from './phases/history.js';
import { runOutage } from './phases/outage.js';
import { feedPhase, type Recovery, recover } from './phases/recover.js';
import { awaitVendorRetries } from './phases/retries.js';
import { planRecovery, type ReplayBackfillOptions } from './plan.js';
import { evidenceFor, recoveryTable, sampleLine } from './report.js';
import { DeliveryWatch, measured, type Phase } from './watch.js';

const OBJECT = 'contacts';

/** A full snapshot compared with the local store, `repair` making the store match. */
function snapshot(ctx: RunContext, api: CrmApi, phase: string, repair: boolean): Promise<ReconcileReport> {
  return reconcile(api, ctx.pipeline.store, ctx.pipeline.db, OBJECT, {
    repair,
    signal: ctx.signal,
    onPage: (n) => ctx.progress({ phase, done: n, total: n, detail: 'records read' }),
  });
}

/**
 * Misses events on purpose and proves the gap closed: history, outage, the vendor's retries,
 * drift before recovery, recovery by the vendor's own means, and a repairing reconcile.
 */
export async function runReplayBackfill(
  ctx: RunContext,
  opts: ReplayBackfillOptions,
): Promise<ScenarioResult> {
  const { target, signal } = ctx;
  const { api, counters } = connectApi(target, ctx);
  const plan = planRecovery(target, opts);
  const notes: string[] = [...plan.notes];
  const phases: Phase[] = [];
  const watch = new DeliveryWatch();
  ctx.pipeline.events.on('accepted', watch.onAccepted);
  await api.configureWebhooks(ctx.webhookUrl, {
    objectType: OBJECT,
    actions: ['create', 'update', 'delete'],
    fields: ['email', 'firstname', 'lastname', 'phone'],
  });

  const history = new HistoryGenerator(`rb-${ctx.runId.slice(-6)}`, plan.merges);
  const made = await writeHistory(ctx, api, plan, history, watch);
  const historyEvents = watch.events;
  // 2. What a pipeline would hold when the receiver goes down: the feed's position.
  const feed = api.changeFeed;
  const position = feed && !signal.aborted ? await feed.current(OBJECT) : undefined;
  const outage = await runOutage(ctx, api, plan, history, opts.outage);
  const retries = await awaitVendorRetries(ctx, watch, outage.endedAt, opts.grace);
  if (retries.note) notes.push(retries.note);

  // 5. Drift before recovery: what the outage cost once the vendor's retries are done.
  ctx.progress({ phase: 'reconcile (before)', done: 0, total: 1, detail: 'reading the vendor snapshot' });
  const beforeStarted = Date.now();
  const before = await snapshot(ctx, api, 'reconcile (before)', false);
  const recoveryStart = Date.now();
  const recovery = await recover(ctx, api, counters, phases, {
    position,
    watermark: outage.from - opts.overlap,
    outageMs: opts.outage,
  });
  notes.push(...recovery.notes);
  const recoveryMs = Date.now() - recoveryStart;

  // 7. What reconcile still finds is what the recovery missed; it repairs it, as a nightly one would.
  ctx.progress({ phase: 'reconcile', done: 0, total: 1, detail: 'reading the vendor snapshot' });
  const after = await measured(phases, 'reconcile', counters, () => snapshot(ctx, api, 'reconcile', true));
  // From the receiver's return to a reconciled store, without the measuring reconcile before.
  const timeToRecover = Date.now() - outage.endedAt - (recoveryStart - beforeStarted);
  if (after.repaired > 0) phases.push({ name: 'reconcile repair', calls: 0, ms: 0 });

  const callsOf = (name: string) => phases.find((p) => p.name === name)?.calls ?? 0;
  const values: Partial<Record<ReplayBackfillFinding, number>> = {
    'history.changes_count': made,
    'history.events_received_count': historyEvents,
    'history.span_s': Math.round((plan.historyTo - plan.historyFrom) / 1000),
    'outage.duration_s': Math.round(
      plan.live ? (outage.endedAt - outage.startedAt) / 1000 : opts.outage / 1000,
    ),
    'outage.changes_count': outage.changes,
    'outage.deliveries_refused_count': outage.refused,
    'retries.events_after_outage_count': retries.events,
    'drift.before_missing_count': before.missing,
    'drift.before_stale_count': before.stale,
    'drift.before_extra_count': before.extra,
    'replay.available': feed ? 1 : 0,
    'reconcile.vendor_records_count': after.vendorRecords,
    'reconcile.missing_count': after.missing,
    'reconcile.stale_count': after.stale,
    'reconcile.extra_count': after.extra,
    'reconcile.duplicates_count': after.duplicates,
    'reconcile.conflicts_count': after.conflicts,
    'reconcile.repaired_count': after.repaired,
    'reconcile.api_calls_count': callsOf('reconcile'),
    'reconcile.records_per_s': Math.round((after.vendorRecords * 1000) / Math.max(1, after.durationMs)),
    'recovery.duration_ms': recoveryMs,
    'recovery.time_to_recover_ms': timeToRecover,
    'api.requests_count': counters.requests,
    'api.rate_limited_count': counters.rateLimited,
    ...recoveryValues(recovery, feed, callsOf),
  };
  notes.push(
    `history: ${made} changes (${history.counts.creates} creates, ${history.counts.updates} updates, ${history.counts.deletes} deletes, ${history.counts.merges} merges) over ${formatDuration(plan.historyTo - plan.historyFrom)} of vendor time`,
  );
  if (driftCount(after) > 0) notes.push(`reconcile found drift the recovery missed: ${sampleLine(after)}`);
  return {
    findings: toFindings(REPLAY_BACKFILL_FINDINGS, values, evidenceFor),
    defaultThresholds: [
      { key: 'reconcile.missing_count', op: '==', threshold: 0, source: 'default' },
      { key: 'reconcile.stale_count', op: '==', threshold: 0, source: 'default' },
      { key: 'reconcile.duplicates_count', op: '==', threshold: 0, source: 'default' },
    ],
    notes,
    tables: [
      recoveryTable(
        retries.events,
        before,
        recovery.replay,
        recovery.backfill,
        recovery.deletedBackfill,
        after,
        phases,
        feed?.kind,
      ),
    ],
  };
}

/** The findings of whichever recovery mechanisms ran. */
function recoveryValues(
  recovery: Recovery,
  feed: CrmApi['changeFeed'],
  callsOf: (name: string) => number,
): Partial<Record<ReplayBackfillFinding, number>> {
  const values: Partial<Record<ReplayBackfillFinding, number>> = {};
  if (feed) {
    values['replay.retention_s'] = Math.round(feed.retentionMs.value / 1000);
    values['replay.covers_outage'] = recovery.replayExpired === undefined ? 1 : 0;
    values['replay.api_calls_count'] = callsOf(feedPhase(feed.kind));
    if (recovery.replay) {
      values['replay.changes_count'] = recovery.replay.fetched;
      values['replay.recovered_count'] = recovered(recovery.replay);
    }
  }
  if (recovery.backfill) {
    values['backfill.records_fetched_count'] = recovery.backfill.fetched;
    values['backfill.recovered_count'] = recovered(recovery.backfill);
    values['backfill.api_calls_count'] = callsOf('modified-since backfill') + callsOf('deleted list');
  }
  if (recovery.deletedBackfill)
    values['backfill.deleted_recovered_count'] = recovered(recovery.deletedBackfill);
  return values;
}
