import { z } from 'zod';
import { formatDuration } from '../harness/duration.js';
import type { RecoveryTally } from '../harness/recovery/apply.js';
import { recovered } from '../harness/recovery/apply.js';
import { backfillDeleted, backfillModified } from '../harness/recovery/backfill.js';
import { HISTORY_MIX, HistoryGenerator, OUTAGE_MIX } from '../harness/recovery/history.js';
import { driftCount, type ReconcileReport, reconcile } from '../harness/recovery/reconcile.js';
import { replayFeed } from '../harness/recovery/replay.js';
import type { Finding, ResultTable } from '../harness/runs/findings.js';
import type { FirehoseInput } from '../harness/targets/types.js';
import { type ApiCounters, connectApi } from '../harness/vendors/connect.js';
import type { CrmApi } from '../harness/vendors/types.js';
import type { RunContext, Scenario, ScenarioResult } from './types.js';
import { writeRecords } from './vendor-writes.js';

const DAY = 86_400_000;
const OBJECT = 'contacts';

export const replayBackfillOptions = z.object({
  historyMs: z
    .number()
    .int()
    .positive()
    .max(365 * DAY)
    .default(30 * DAY)
    .describe('simulated history before the outage'),
  outageMs: z
    .number()
    .int()
    .positive()
    .max(365 * DAY)
    .default(600_000)
    .describe('how long the receiver is down'),
  changes: z.number().int().min(100).max(2_000_000).default(50_000).describe('changes in the history'),
  outageChanges: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(2_000)
    .describe('changes made during the outage'),
  /** How far before the outage the backfill starts reading, against clock skew and late commits. */
  overlapMs: z.number().int().nonnegative().default(300_000),
  graceMs: z
    .number()
    .int()
    .nonnegative()
    .default(30_000)
    .describe('longest wait for the vendor retries to finish'),
});
export type ReplayBackfillOptions = z.infer<typeof replayBackfillOptions>;

const FINDING_UNITS = {
  'history.changes_count': 'changes',
  'history.events_received_count': 'events',
  'history.span_s': 's',
  'outage.duration_s': 's',
  'outage.changes_count': 'changes',
  'outage.deliveries_refused_count': 'requests',
  'retries.events_after_outage_count': 'events',
  'drift.before_missing_count': 'records',
  'drift.before_stale_count': 'records',
  'drift.before_extra_count': 'records',
  'replay.available': 'bool',
  'replay.retention_s': 's',
  'replay.covers_outage': 'bool',
  'replay.changes_count': 'changes',
  'replay.recovered_count': 'records',
  'replay.api_calls_count': 'requests',
  'backfill.records_fetched_count': 'records',
  'backfill.recovered_count': 'records',
  'backfill.deleted_recovered_count': 'records',
  'backfill.api_calls_count': 'requests',
  'reconcile.vendor_records_count': 'records',
  'reconcile.missing_count': 'records',
  'reconcile.stale_count': 'records',
  'reconcile.extra_count': 'records',
  'reconcile.duplicates_count': 'records',
  'reconcile.conflicts_count': 'records',
  'reconcile.repaired_count': 'records',
  'reconcile.api_calls_count': 'requests',
  'reconcile.records_per_s': 'records/s',
  'recovery.duration_ms': 'ms',
  'recovery.time_to_recover_ms': 'ms',
  'api.requests_count': 'requests',
  'api.rate_limited_count': 'responses',
} as const;
type FindingKey = keyof typeof FINDING_UNITS;

/** Resolves after `ms`, or at once on abort; the run then stops at its next step. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/** Counts what reaches the receiver, to tell the history's end and the vendor's retries. */
class DeliveryWatch {
  events = 0;
  lastAcceptedAt = Date.now();
  readonly onAccepted = (events: readonly unknown[]) => {
    this.events += events.length;
    this.lastAcceptedAt = Date.now();
  };
}

/** Waits until nothing arrived for `quietMs` and the queue is drained, or `timeoutMs` passed. */
async function waitQuiet(
  ctx: RunContext,
  watch: DeliveryWatch,
  quietMs: number,
  timeoutMs: number,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!ctx.signal.aborted && Date.now() < until) {
    if (Date.now() - watch.lastAcceptedAt >= quietMs && ctx.pipeline.inbox.depth === 0) return true;
    await sleep(100, ctx.signal);
  }
  return false;
}

interface Phase {
  readonly name: string;
  readonly calls: number;
  readonly ms: number;
}

/** Runs one step and measures its API calls and time. */
async function measured<T>(
  phases: Phase[],
  name: string,
  counters: ApiCounters,
  fn: () => Promise<T>,
): Promise<T> {
  const calls = counters.requests;
  const started = Date.now();
  const out = await fn();
  phases.push({ name, calls: counters.requests - calls, ms: Date.now() - started });
  return out;
}

export const replayBackfill: Scenario<ReplayBackfillOptions> = {
  id: 'replay-backfill',
  summary:
    'Miss events on purpose (receiver down), recover with the vendor’s replay or a backfill, reconcile against a full snapshot.',
  receivesWebhooks: true,
  // Ten minutes of vendor time per second: a 10-minute outage lasts 1 s, long enough for the
  // vendor's delivery queue to attempt (and fail) what it held, as it would in a real outage.
  defaultTimeScale: 600,
  findingKeys: Object.keys(FINDING_UNITS),
  options: replayBackfillOptions,

  async run(ctx: RunContext, opts: ReplayBackfillOptions): Promise<ScenarioResult> {
    const { target, signal } = ctx;
    const profile = target.vendor.profile;
    const { api, counters } = connectApi(target, ctx);
    const notes: string[] = [];
    const phases: Phase[] = [];
    const watch = new DeliveryWatch();
    ctx.pipeline.events.on('accepted', watch.onAccepted);
    const live = !target.admin;
    const timeScale = target.timeScale;
    const changes = live ? Math.min(opts.changes, profile.batchMax.value * 10) : opts.changes;
    const outageChanges = live
      ? Math.min(opts.outageChanges, profile.batchMax.value * 5)
      : opts.outageChanges;
    if (live && changes < opts.changes)
      notes.push(
        `live: the history is ${changes} API writes (creates and updates) to spare the quota, in real time`,
      );

    await api.configureWebhooks(ctx.webhookUrl, {
      objectType: OBJECT,
      actions: ['create', 'update', 'delete'],
      fields: ['email', 'firstname', 'lastname', 'phone'],
    });

    // 1. History, in simulated time: it ends before the outage's simulated start.
    const start = Date.now();
    const history = new HistoryGenerator(
      `rb-${ctx.runId.slice(-6)}`,
      !live && profile.mergesRecords?.value === true,
    );
    const historyTo = live ? start : start - opts.outageMs - 60_000;
    const historyFrom = live ? start : historyTo - opts.historyMs;
    let made = 0;
    for (const chunk of history.chunks(
      changes,
      historyFrom,
      historyTo,
      live ? profile.batchMax.value : 100,
      HISTORY_MIX,
    )) {
      if (signal.aborted) break;
      await writeRecords(ctx, api, chunk.inputs, chunk.at);
      made += chunk.inputs.length;
      ctx.progress({
        phase: 'history',
        done: made,
        total: changes,
        detail: `${watch.events} events received`,
      });
    }
    await waitQuiet(ctx, watch, 1500, 10 * 60_000);
    const historyEvents = watch.events;

    // 2. What a pipeline would hold when the receiver goes down: the feed's position.
    const feed = api.changeFeed;
    const position = feed && !signal.aborted ? await feed.current(OBJECT) : undefined;

    // 3. Outage: deliveries get 503 while changes keep happening, stamped inside the window.
    ctx.progress({ phase: 'outage', done: 0, total: outageChanges, detail: 'receiver down' });
    const realDowntime = Math.max(200, opts.outageMs / timeScale);
    const outageStartReal = Date.now();
    const outageFrom = live ? outageStartReal : outageStartReal - opts.outageMs;
    const refused0 = ctx.pipeline.refusedWhileDown;
    ctx.pipeline.setDown(true);
    let outageMade = 0;
    try {
      const chunkSize = live ? profile.batchMax.value : 50;
      const chunkCount = Math.ceil(outageChanges / chunkSize);
      let c = 0;
      for (const chunk of history.chunks(
        outageChanges,
        outageFrom,
        outageFrom + opts.outageMs,
        chunkSize,
        OUTAGE_MIX,
      )) {
        if (signal.aborted) break;
        // Spread over the real downtime so the vendor's retries see an outage of the right length.
        const due = outageStartReal + (realDowntime * c++) / chunkCount;
        if (due > Date.now()) await sleep(due - Date.now(), signal);
        await writeRecords(ctx, api, chunk.inputs, Math.min(chunk.at, Date.now()));
        outageMade += chunk.inputs.length;
        ctx.progress({ phase: 'outage', done: outageMade, total: outageChanges, detail: 'receiver down' });
      }
      const left = outageStartReal + realDowntime - Date.now();
      if (left > 0) await sleep(left, signal);
    } finally {
      ctx.pipeline.setDown(false);
    }
    const outageEndReal = Date.now();
    const refused = ctx.pipeline.refusedWhileDown - refused0;

    // 4. The vendor's own retries, until deliveries stay quiet for a while (3 s at most: half an
    // hour of vendor time at the default scale) or its documented schedule is over, within
    // --grace. Retries that come later are harmless: last writer wins.
    const eventsAtReopen = watch.events;
    const retrySpan = profile.webhooks.retry.value.delaysMs.reduce((a, b) => a + b, 0) / timeScale;
    const quietMs = Math.min(3000, retrySpan + 500);
    ctx.progress({ phase: 'vendor retries', done: 0, total: 1, detail: 'waiting for the vendor to retry' });
    watch.lastAcceptedAt = Date.now();
    await waitQuiet(ctx, watch, quietMs, Math.min(retrySpan + 2000, opts.graceMs));
    const waitedMs = Date.now() - outageEndReal;
    if (retrySpan > waitedMs)
      notes.push(
        `${profile.name} retries for ${formatDuration(retrySpan * timeScale)}; poc waited ${formatDuration(waitedMs * timeScale)} of vendor time (quiet for ${formatDuration(quietMs * timeScale)}) and recovered the rest itself`,
      );
    const retriedEvents = watch.events - eventsAtReopen;

    // 5. Drift before recovery: what the outage cost once the vendor's retries are done.
    ctx.progress({ phase: 'reconcile (before)', done: 0, total: 1, detail: 'reading the vendor snapshot' });
    const beforeStarted = Date.now();
    const before = await reconcile(api, ctx.pipeline.store, ctx.pipeline.db, OBJECT, {
      signal,
      onPage: (n) => ctx.progress({ phase: 'reconcile (before)', done: n, total: n, detail: 'records read' }),
    });

    // 6. Recovery, in the vendor's order of preference: its change feed, else a backfill.
    const recoveryStart = Date.now();
    const watermark = outageFrom - opts.overlapMs;
    let replay: RecoveryTally | undefined;
    let replayExpired: string | undefined;
    if (feed && position === undefined) {
      replayExpired = `${profile.name} retains no change from before the outage`;
      notes.push(
        `not replayable: the outage (${formatDuration(opts.outageMs)}) outlived the ${feed.kind} retention of ${formatDuration(feed.retentionMs.value)}: ${replayExpired}`,
      );
    } else if (feed && position !== undefined) {
      const outcome = await measured(
        phases,
        feed.kind === 'replay-id' ? 'replay' : 'delta link',
        counters,
        () =>
          replayFeed(feed, ctx.pipeline.store, OBJECT, position, {
            signal,
            onPage: (t) =>
              ctx.progress({ phase: 'replay', done: t.fetched, total: t.fetched, detail: 'changes' }),
          }),
      );
      if (outcome.replayable) replay = outcome.tally;
      else {
        replayExpired = outcome.detail;
        notes.push(
          `not replayable: the outage (${formatDuration(opts.outageMs)}) outlived the ${feed.kind} retention of ${formatDuration(feed.retentionMs.value)}: ${outcome.detail}`,
        );
      }
    } else {
      notes.push(
        `${profile.name} offers no replay (${profile.webhooks.replay.source}): recovery is a backfill`,
      );
    }
    let backfill: RecoveryTally | undefined;
    let deletedBackfill: RecoveryTally | undefined;
    if (!replay) {
      const progress = (t: RecoveryTally) =>
        ctx.progress({ phase: 'backfill', done: t.fetched, total: t.fetched, detail: `${t.pages} pages` });
      backfill = await measured(phases, 'modified-since backfill', counters, () =>
        backfillModified(api, ctx.pipeline.store, OBJECT, watermark, { signal, onPage: progress }),
      );
      // After the modified pages, so records deleted while they were paged are listed too.
      deletedBackfill = await measured(phases, 'deleted list', counters, () =>
        backfillDeleted(api, ctx.pipeline.store, OBJECT, watermark, { signal, onPage: progress }),
      );
      if (!deletedBackfill) phases.pop();
      if (!deletedBackfill)
        notes.push(
          `${profile.name} lists no deleted records: deletions missed in the outage are found by reconcile`,
        );
    }
    const recoveryMs = Date.now() - recoveryStart;

    // 7. Reconcile against a full snapshot; what it still finds is what the recovery missed,
    // and it repairs it, as a nightly reconcile would.
    ctx.progress({ phase: 'reconcile', done: 0, total: 1, detail: 'reading the vendor snapshot' });
    const after = await measured(phases, 'reconcile', counters, () =>
      reconcile(api, ctx.pipeline.store, ctx.pipeline.db, OBJECT, {
        repair: true,
        signal,
        onPage: (n) => ctx.progress({ phase: 'reconcile', done: n, total: n, detail: 'records read' }),
      }),
    );
    // From the receiver's return to a reconciled store, without the measuring reconcile before.
    const timeToRecover = Date.now() - outageEndReal - (recoveryStart - beforeStarted);
    if (after.repaired > 0) phases.push({ name: 'reconcile repair', calls: 0, ms: 0 });

    const callsOf = (name: string) => phases.find((p) => p.name === name)?.calls ?? 0;
    const values: Partial<Record<FindingKey, number>> = {
      'history.changes_count': made,
      'history.events_received_count': historyEvents,
      'history.span_s': Math.round((historyTo - historyFrom) / 1000),
      'outage.duration_s': Math.round(live ? (outageEndReal - outageStartReal) / 1000 : opts.outageMs / 1000),
      'outage.changes_count': outageMade,
      'outage.deliveries_refused_count': refused,
      'retries.events_after_outage_count': retriedEvents,
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
    };
    if (feed) {
      values['replay.retention_s'] = Math.round(feed.retentionMs.value / 1000);
      values['replay.covers_outage'] = replayExpired === undefined ? 1 : 0;
      values['replay.api_calls_count'] = callsOf(feed.kind === 'replay-id' ? 'replay' : 'delta link');
      if (replay) {
        values['replay.changes_count'] = replay.fetched;
        values['replay.recovered_count'] = recovered(replay);
      }
    }
    if (backfill) {
      values['backfill.records_fetched_count'] = backfill.fetched;
      values['backfill.recovered_count'] = recovered(backfill);
      values['backfill.api_calls_count'] = callsOf('modified-since backfill') + callsOf('deleted list');
    }
    if (deletedBackfill) values['backfill.deleted_recovered_count'] = recovered(deletedBackfill);

    const findings: Finding[] = Object.entries(values).map(([key, value]) => ({
      key,
      value: value as number,
      unit: FINDING_UNITS[key as FindingKey],
      evidence: evidenceFor(key),
    }));
    notes.push(
      `history: ${made} changes (${history.counts.creates} creates, ${history.counts.updates} updates, ${history.counts.deletes} deletes, ${history.counts.merges} merges) over ${formatDuration(historyTo - historyFrom)} of vendor time`,
    );
    if (driftCount(after) > 0) notes.push(`reconcile found drift the recovery missed: ${sampleLine(after)}`);
    return {
      findings,
      defaultThresholds: [
        { key: 'reconcile.missing_count', op: '==', threshold: 0, source: 'default' },
        { key: 'reconcile.stale_count', op: '==', threshold: 0, source: 'default' },
        { key: 'reconcile.duplicates_count', op: '==', threshold: 0, source: 'default' },
      ],
      notes,
      tables: [
        recoveryTable(retriedEvents, before, replay, backfill, deletedBackfill, after, phases, feed?.kind),
      ],
    };
  },
};

function recoveryTable(
  retried: number,
  before: ReconcileReport,
  replay: RecoveryTally | undefined,
  backfill: RecoveryTally | undefined,
  deleted: RecoveryTally | undefined,
  after: ReconcileReport,
  phases: readonly Phase[],
  feedKind: string | undefined,
): ResultTable {
  const phase = (name: string) => phases.find((p) => p.name === name);
  const row = (mechanism: string, got: string, fetched: string, name?: string) => {
    const p = name ? phase(name) : undefined;
    return [mechanism, got, fetched, p ? String(p.calls) : '-', p ? `${p.ms} ms` : '-'];
  };
  const rows: string[][] = [
    row('vendor retries', `${retried} events`, '-'),
    row(
      'drift left after retries',
      `${driftCount(before)} records`,
      `${before.vendorRecords} read`,
      undefined,
    ),
  ];
  if (replay)
    rows.push(
      row(
        feedKind === 'delta-link' ? 'delta link' : 'replay',
        `${recovered(replay)} records`,
        `${replay.fetched} changes`,
        feedKind === 'delta-link' ? 'delta link' : 'replay',
      ),
    );
  if (deleted)
    rows.push(
      row('deleted list', `${recovered(deleted)} records`, `${deleted.fetched} deleted`, 'deleted list'),
    );
  if (backfill)
    rows.push(
      row(
        'modified-since backfill',
        `${recovered(backfill)} records`,
        `${backfill.fetched} records`,
        'modified-since backfill',
      ),
    );
  rows.push(row('reconcile repair', `${after.repaired} records`, `${after.vendorRecords} read`, 'reconcile'));
  return {
    title: 'Recovery by mechanism',
    columns: ['mechanism', 'recovered', 'read', 'API calls', 'time'],
    rows,
  };
}

function sampleLine(r: ReconcileReport): string {
  return r.samples
    .filter((s) => s.kind !== 'conflict')
    .slice(0, 3)
    .map((s) => `${s.kind} ${s.id} (${s.detail})`)
    .join('; ');
}

function evidenceFor(key: string): string {
  if (key.startsWith('reconcile.'))
    return 'full vendor snapshot read through its cursor pagination, compared field by field';
  if (key.startsWith('drift.')) return 'reconcile (no repair) after the vendor retries settled';
  if (key.startsWith('replay.'))
    return 'the vendor change feed read from the position held before the outage';
  if (key.startsWith('backfill.'))
    return 'modified-since search from the outage start minus the overlap, keyset by time';
  return 'measured by the harness';
}
