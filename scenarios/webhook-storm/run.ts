import type { z } from 'zod';
import { isPocError } from '../../harness/errors.js';
import { toFindings } from '../../harness/runs/vocabulary.js';
import type { RunContext, ScenarioResult } from '../../harness/scenario.js';
import { connectApi } from '../../harness/targets/connect.js';
import type { RecordInput } from '../../harness/vendors/types.js';
import { waitFor } from '../../harness/wait.js';
import type { webhookStormOptions } from './definition.js';
import { WEBHOOK_STORM_FINDINGS, type WebhookStormFinding } from './findings.js';
import { InterimFindings } from './interim.js';
import { createPool, drivePath, type PathResult, partlyFailed, planRates } from './load.js';
import { StormObserver } from './observer.js';
import { encodeSeq, SEQ_FIELD } from './sequence.js';

type WebhookStormOptions = z.output<typeof webhookStormOptions>;

/** Changes records at the asked rate and measures what the receiver got, per triggering write. */
export async function runWebhookStorm(ctx: RunContext, opts: WebhookStormOptions): Promise<ScenarioResult> {
  const { target, signal } = ctx;
  const profile = target.vendor.profile;
  const { api, counters } = connectApi(target, ctx);
  const notes: string[] = [];
  const tag = ctx.runId.slice(-6);
  let nextSeq = 0;
  const observer = new StormObserver(tag, () => nextSeq);
  ctx.pipeline.events.on('accepted', observer.onAccepted);
  ctx.pipeline.events.on('processed', observer.onProcessed);

  ctx.progress({ phase: 'setup', done: 0, total: 1, detail: 'creating the record pool and subscribing' });
  const batchMax = profile.batchMax.value;
  const poolSize = target.admin ? opts.poolSize : Math.min(opts.poolSize, batchMax * 20);
  // The pool exists before the subscription, so its creation makes no events to filter out.
  const emails = await createPool(ctx, api, poolSize);
  await api.configureWebhooks(ctx.webhookUrl, {
    objectType: 'contacts',
    actions: ['update'],
    fields: [SEQ_FIELD],
  });

  // The API path stays under the documented short-window limit; the rest goes through the
  // mock's firehose (changes made inside the vendor), which a live vendor does not have.
  const rates = planRates(profile, opts.rate, opts.apiShare, target.admin !== undefined);
  if (rates.shortfall) notes.push(rates.shortfall);

  let writeErrors = 0;
  let writesUnknown = 0;
  // Stops the load on Ctrl-C or when the request budget is spent.
  const budgetStop = new AbortController();
  const loadSignal = AbortSignal.any([signal, budgetStop.signal]);
  const write = async (
    count: number,
    intendedAt: number,
    via: (inputs: RecordInput[]) => Promise<unknown>,
  ) => {
    const sentAt = Date.now();
    const seqs: number[] = [];
    const inputs: RecordInput[] = [];
    for (let i = 0; i < count; i++) {
      const seq = nextSeq++;
      seqs.push(seq);
      inputs.push({
        externalId: emails[seq % emails.length] ?? '',
        fields: { [SEQ_FIELD]: encodeSeq(tag, seq, intendedAt, sentAt) },
      });
    }
    try {
      // A partial failure says which records failed only by id: count the whole batch as
      // failed writes rather than as lost webhooks.
      if (partlyFailed(await via(inputs))) {
        writeErrors += seqs.length;
        return;
      }
      for (const s of seqs) observer.written.add(s);
    } catch (err) {
      if (isPocError(err) && err.code === 'POC_ERR_BUDGET_EXHAUSTED') {
        // Not a vendor error: we chose to stop spending its quota. The load stops; deliveries
        // of what was written are still awaited.
        if (!loadSignal.aborted) notes.push(`${err.message}; the load stopped early`);
        budgetStop.abort();
        return;
      }
      if (signal.aborted) {
        // Cut off by Ctrl-C in flight: the vendor may have applied it. Not a write error.
        writesUnknown += seqs.length;
        return;
      }
      writeErrors += seqs.length;
      ctx.log.debug({ err: (err as Error).message }, 'write failed');
      throw err;
    }
  };

  // Fault windows (outage=30s@10s) count from here: the start of the load, not of the mock.
  await target.admin?.startFaultClock();
  const path = { durationMs: opts.duration, signal: loadSignal, write };
  const drivers = [
    drivePath({
      ...path,
      eventsPerSec: rates.apiEventsPerSec,
      maxIterPerSec: rates.apiRequestsPerSec,
      maxBatch: batchMax,
      via: (inputs) => api.batchUpsert('contacts', inputs),
    }),
  ];
  const admin = target.admin;
  if (rates.firehoseEventsPerSec > 0 && admin) {
    drivers.push(
      drivePath({
        ...path,
        eventsPerSec: rates.firehoseEventsPerSec,
        maxIterPerSec: 100,
        maxBatch: 1000,
        via: (inputs) => admin.firehose('contacts', inputs),
      }),
    );
  }

  const interim = new InterimFindings(
    observer,
    opts.grace,
    () => nextSeq,
    () => ({ writeErrors, counters }),
  );
  const started = Date.now();
  const ticker = setInterval(() => {
    const now = Date.now();
    const elapsed = now - started;
    ctx.reportInterim(interim.at(now));
    ctx.progress({
      phase: elapsed < opts.duration ? 'storm' : 'drain',
      done: Math.min(elapsed, opts.duration),
      total: opts.duration,
      detail: `sent ${observer.written.size} received ${observer.received.size} applied ${observer.applied.size} dup ${observer.duplicatesReceived}`,
    });
  }, 250);
  try {
    const results = await Promise.all(drivers);
    // After a Ctrl-C, still collect what is already on its way, briefly.
    const grace = signal.aborted ? Math.min(opts.grace, 2000) : opts.grace;
    await waitFor(
      () =>
        observer.written.missingFrom(observer.received) === 0 &&
        observer.applied.size >= observer.received.size,
      grace,
      signal.aborted ? new AbortController().signal : signal,
    );
    const values = await measure(ctx, opts, observer, results, {
      ...rates,
      writeErrors,
      writesUnknown,
      counters,
    });
    const stormMs = Math.max(...results.map((r) => r.spanMs));
    const evidence = `${target.describe()}; ${observer.written.size} events over ${(stormMs / 1000).toFixed(1)} s, grace ${grace / 1000} s`;
    if (observer.foreign > 0)
      notes.push(`${observer.foreign} events did not belong to this storm and were ignored`);
    if ((values['load.dropped_iterations_count'] ?? 0) > 0) {
      notes.push(
        'the load generator could not hold the asked rate (dropped iterations): achieved rate is below target',
      );
    }
    return {
      findings: toFindings(WEBHOOK_STORM_FINDINGS, values, evidence),
      notes,
      defaultThresholds: [
        // A storm that sent nothing proves nothing: it must not pass.
        { key: 'webhook.events_sent_count', op: '>', threshold: 0, source: 'default' },
        { key: 'webhook.loss_count', op: '==', threshold: 0, source: 'default' },
        { key: 'webhook.duplicates_applied_count', op: '==', threshold: 0, source: 'default' },
      ],
    };
  } finally {
    clearInterval(ticker);
    ctx.pipeline.events.off('accepted', observer.onAccepted);
    ctx.pipeline.events.off('processed', observer.onProcessed);
  }
}

/** The storm's findings from what the observer saw and what each write path achieved. */
async function measure(
  ctx: RunContext,
  opts: WebhookStormOptions,
  observer: StormObserver,
  results: readonly PathResult[],
  run: {
    readonly apiEventsPerSec: number;
    readonly firehoseEventsPerSec: number;
    readonly writeErrors: number;
    readonly writesUnknown: number;
    readonly counters: { requests: number; retries: number; rateLimited: number };
  },
): Promise<Partial<Record<WebhookStormFinding, number>>> {
  const sent = observer.written.size;
  const loss = observer.written.missingFrom(observer.received);
  // Each path ran its own schedule (batch sizes differ): add their rates, not their counts.
  const achieved = results.reduce((sum, r) => sum + (r.spanMs > 0 ? (r.written / r.spanMs) * 1000 : 0), 0);
  const lat = observer.latency.summary();
  return {
    'webhook.target_rate_per_s': opts.rate,
    'webhook.achieved_rate_per_s': achieved,
    'webhook.achieved_rate_ratio': achieved / opts.rate,
    'webhook.api_planned_rate_per_s': run.apiEventsPerSec,
    'webhook.firehose_planned_rate_per_s': run.firehoseEventsPerSec,
    'webhook.events_sent_count': sent,
    'webhook.events_received_count': observer.received.size,
    'webhook.loss_count': loss,
    'webhook.loss_ratio': sent === 0 ? 0 : loss / sent,
    'webhook.duplicates_received_count': observer.duplicatesReceived,
    'webhook.duplicates_applied_count': observer.duplicatesApplied,
    'webhook.out_of_order_count': observer.outOfOrder,
    'webhook.vendor_retried_count': observer.vendorRetried,
    'webhook.write_errors_count': run.writeErrors,
    'webhook.writes_unknown_count': run.writesUnknown,
    // Latency is only a finding when something was measured: an empty histogram is not 0 ms.
    ...(lat.count > 0
      ? {
          'webhook.latency_p50_ms': lat.p50,
          'webhook.latency_p95_ms': lat.p95,
          'webhook.latency_p99_ms': lat.p99,
          'webhook.latency_max_ms': lat.max,
          'webhook.latency_raw_p99_ms': observer.rawLatency.summary().p99,
        }
      : {}),
    ...(observer.applyLatency.count > 0
      ? { 'webhook.apply_latency_p99_ms': observer.applyLatency.summary().p99 }
      : {}),
    'webhook.rejected_count': await rejectedCount(ctx),
    'webhook.dead_letter_count': observer.deadLetters,
    'load.dropped_iterations_count': results.reduce((n, r) => n + r.dropped, 0),
    'api.requests_count': run.counters.requests,
    'api.retries_count': run.counters.retries,
    'api.rate_limited_count': run.counters.rateLimited,
  };
}

async function rejectedCount(ctx: RunContext): Promise<number> {
  const metric = await ctx.metrics.requests.get();
  return metric.values
    .filter((v) => v.labels.status === '401' || v.labels.status === '400')
    .reduce((n, v) => n + v.value, 0);
}
