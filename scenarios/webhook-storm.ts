import { faker } from '@faker-js/faker';
import { z } from 'zod';
import { isPocError } from '../harness/errors.js';
import { ArrivalRate, type ArrivalRateResult } from '../harness/load/arrival-rate.js';
import type { Finding } from '../harness/runs/findings.js';
import { LatencyHistogram } from '../harness/telemetry/histogram.js';
import { SeqSet } from '../harness/telemetry/seq-set.js';
import { connectApi, tightestShortLimit } from '../harness/vendors/connect.js';
import type { CrmApi, RecordInput, VendorEvent } from '../harness/vendors/types.js';
import type { RunContext, Scenario, ScenarioResult } from './types.js';
import { waitFor, writeRecords } from './vendor-writes.js';

/** The canonical field each change writes: seq:intendedAt:sentAt. */
const SEQ_FIELD = 'poc_seq';

export const webhookStormOptions = z.object({
  rate: z.number().positive().max(1_000_000).default(1000).describe('events per second asked of the vendor'),
  durationMs: z.number().int().positive().default(30_000),
  graceMs: z.number().int().nonnegative().default(30_000).describe('how long to wait for late deliveries'),
  poolSize: z
    .number()
    .int()
    .min(100)
    .max(1_000_000)
    .default(1000)
    .describe('records the storm updates in turn'),
  apiShare: z
    .number()
    .gt(0)
    .max(1)
    .default(0.8)
    .describe('share of the documented API limit the storm may use'),
});
export type WebhookStormOptions = z.infer<typeof webhookStormOptions>;

const FINDING_UNITS = {
  'webhook.target_rate_per_s': 'events/s',
  'webhook.achieved_rate_per_s': 'events/s',
  'webhook.achieved_rate_ratio': 'ratio',
  'webhook.api_planned_rate_per_s': 'events/s',
  'webhook.firehose_planned_rate_per_s': 'events/s',
  'webhook.events_sent_count': 'events',
  'webhook.events_received_count': 'events',
  'webhook.loss_count': 'events',
  'webhook.loss_ratio': 'ratio',
  'webhook.duplicates_received_count': 'events',
  'webhook.duplicates_applied_count': 'events',
  'webhook.out_of_order_count': 'events',
  'webhook.vendor_retried_count': 'events',
  'webhook.write_errors_count': 'events',
  'webhook.latency_p50_ms': 'ms',
  'webhook.latency_p95_ms': 'ms',
  'webhook.latency_p99_ms': 'ms',
  'webhook.latency_max_ms': 'ms',
  'webhook.latency_raw_p99_ms': 'ms',
  'webhook.apply_latency_p99_ms': 'ms',
  'webhook.rejected_count': 'requests',
  'webhook.dead_letter_count': 'events',
  'load.dropped_iterations_count': 'iterations',
  'api.requests_count': 'requests',
  'api.retries_count': 'retries',
  'api.rate_limited_count': 'responses',
} as const;

type FindingKey = keyof typeof FINDING_UNITS;

/**
 * tag:seq:intendedAt:sentAt — the event carries its own timing, so nothing is stored per event.
 * The tag is this run's: late retries of an earlier run on the same sandbox are not ours.
 */
function encodeSeq(tag: string, seq: number, intendedAt: number, sentAt: number): string {
  // The open-model schedule puts intended times between milliseconds; the wire carries whole ones.
  return `${tag}:${seq}:${Math.round(intendedAt)}:${Math.round(sentAt)}`;
}

type Decoded = [seq: number, intendedAt: number, sentAt: number];

function decodeSeq(tag: string, value: string | undefined, issued: number): Decoded | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(':');
  if (parts.length !== 4 || parts[0] !== tag) return undefined;
  const nums = parts.slice(1).map(Number) as Decoded;
  // Only sequence numbers this run issued: a forged or garbled value must not grow the bitsets.
  return nums.every(Number.isSafeInteger) && nums[0] >= 0 && nums[0] < issued ? nums : undefined;
}

/** Measures what the pipeline saw, from the pipeline's own events. */
class StormObserver {
  readonly written = new SeqSet();
  readonly received = new SeqSet();
  readonly applied = new SeqSet();
  readonly latency = new LatencyHistogram();
  readonly rawLatency = new LatencyHistogram();
  readonly applyLatency = new LatencyHistogram();
  duplicatesReceived = 0;
  duplicatesApplied = 0;
  outOfOrder = 0;
  vendorRetried = 0;
  deadLetters = 0;
  foreign = 0;
  /** Newest vendor occurredAt seen per record: bounded by the pool, not by events. */
  private readonly newestByObject = new Map<string, number>();

  constructor(
    private readonly tag: string,
    private readonly issued: () => number,
  ) {}

  onAccepted = (events: readonly VendorEvent[], receivedAt: number, duplicates: number): void => {
    this.duplicatesReceived += duplicates;
    for (const e of events) {
      const decoded = decodeSeq(this.tag, e.fields[SEQ_FIELD], this.issued());
      if (!decoded) {
        this.foreign++;
        continue;
      }
      const [seq, intendedAt, sentAt] = decoded;
      this.received.add(seq);
      if (e.attempt > 0) this.vendorRetried++;
      this.latency.record(receivedAt - intendedAt);
      this.rawLatency.record(receivedAt - sentAt);
      // Out of order by the vendor's own clock: a change delivered after a later change to the
      // same record. (Our writes racing each other do not count: the vendor ordered them.)
      const newest = this.newestByObject.get(e.objectId) ?? Number.NEGATIVE_INFINITY;
      if (e.occurredAt < newest) this.outOfOrder++;
      else this.newestByObject.set(e.objectId, e.occurredAt);
    }
  };

  onProcessed = (batch: {
    applied: readonly VendorEvent[];
    deadLettered: number;
    processedAt: number;
  }): void => {
    this.deadLetters += batch.deadLettered;
    for (const e of batch.applied) {
      const decoded = decodeSeq(this.tag, e.fields[SEQ_FIELD], this.issued());
      if (!decoded) continue;
      if (!this.applied.add(decoded[0])) this.duplicatesApplied++;
      this.applyLatency.record(batch.processedAt - decoded[1]);
    }
  };
}

/**
 * The records the storm updates in turn. On the mock they come from the firehose (free); on a
 * live vendor through the API, which costs calls, so the pool is kept small there.
 */
async function createPool(ctx: RunContext, api: CrmApi, size: number): Promise<string[]> {
  faker.seed(20_261_123);
  const emails: string[] = [];
  const inputs: RecordInput[] = [];
  for (let i = 0; i < size; i++) {
    const email = `storm-${ctx.runId}-${i}@poc.example`;
    emails.push(email);
    inputs.push({
      externalId: email,
      fields: { email, firstname: faker.person.firstName(), lastname: faker.person.lastName() },
    });
  }
  await writeRecords(ctx, api, inputs);
  return emails;
}

/** Iterations per second and events per iteration that deliver `eventsPerSec` within `maxIterPerSec`. */
function plan(eventsPerSec: number, maxIterPerSec: number, batchMax: number) {
  const batch = Math.min(batchMax, Math.max(1, Math.ceil(eventsPerSec / maxIterPerSec)));
  return { batch, iterationsPerSec: eventsPerSec / batch };
}

function partlyFailed(result: unknown): boolean {
  return typeof result === 'object' && result !== null && 'errors' in result && Number(result.errors) > 0;
}

export const webhookStorm: Scenario<WebhookStormOptions> = {
  id: 'webhook-storm',
  summary:
    'Drive record changes at a target rate; measure delivery rate, loss, duplicates, order and latency.',
  receivesWebhooks: true,
  findingKeys: Object.keys(FINDING_UNITS),
  options: webhookStormOptions,

  async run(ctx: RunContext, opts: WebhookStormOptions): Promise<ScenarioResult> {
    const { target, signal } = ctx;
    const profile = target.vendor.profile;
    const { api, counters } = connectApi(target, ctx);
    const shortLimit = tightestShortLimit(profile.rateLimits.map((l) => l.value));
    const notes: string[] = [];
    let nextSeq = 0;
    const observer = new StormObserver(ctx.runId.slice(-6), () => nextSeq);
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
    const apiReqPerSec = shortLimit ? (shortLimit.requests / shortLimit.windowMs) * 1000 * opts.apiShare : 10;
    const apiEventsPerSec = Math.min(opts.rate, apiReqPerSec * batchMax);
    let firehoseEventsPerSec = opts.rate - apiEventsPerSec;
    if (firehoseEventsPerSec > 0 && !target.admin) {
      notes.push(
        `asked ${opts.rate} events/s but the live API allows about ${Math.floor(apiEventsPerSec)} events/s within ${Math.round(opts.apiShare * 100)}% of its documented limit; the rest was not sent`,
      );
      firehoseEventsPerSec = 0;
    }

    const makeInputs = (count: number, intendedAt: number) => {
      const sentAt = Date.now();
      const seqs: number[] = [];
      const inputs: RecordInput[] = [];
      for (let i = 0; i < count; i++) {
        const seq = nextSeq++;
        seqs.push(seq);
        inputs.push({
          externalId: emails[seq % emails.length] ?? '',
          fields: { [SEQ_FIELD]: encodeSeq(ctx.runId.slice(-6), seq, intendedAt, sentAt) },
        });
      }
      return { seqs, inputs };
    };
    let writeErrors = 0;
    // Stops the load on Ctrl-C or when the request budget is spent.
    const budgetStop = new AbortController();
    const load = { signal: AbortSignal.any([signal, budgetStop.signal]), abort: () => budgetStop.abort() };
    const write = async (
      count: number,
      intendedAt: number,
      via: (inputs: RecordInput[]) => Promise<unknown>,
    ) => {
      const { seqs, inputs } = makeInputs(count, intendedAt);
      try {
        const result = await via(inputs);
        // A partial failure (HubSpot's 207) writes some records and not others, and says which
        // only by id: count the whole batch as failed writes rather than as lost webhooks.
        if (partlyFailed(result)) {
          writeErrors += seqs.length;
          return;
        }
        for (const s of seqs) observer.written.add(s);
      } catch (err) {
        if (isPocError(err) && err.code === 'POC_ERR_BUDGET_EXHAUSTED') {
          // Not a vendor error: we chose to stop spending its quota. The load stops; deliveries
          // of what was written are still awaited.
          if (!load.signal.aborted) notes.push(`${err.message}; the load stopped early`);
          load.abort();
          return;
        }
        writeErrors += seqs.length;
        ctx.log.debug({ err: (err as Error).message }, 'write failed');
        throw err;
      }
    };

    // One open-model driver per path; each iteration writes one batch of `batch` changes.
    const drive = (
      eventsPerSec: number,
      maxIterPerSec: number,
      maxBatch: number,
      via: (inputs: RecordInput[]) => Promise<unknown>,
    ) => {
      const { batch, iterationsPerSec } = plan(eventsPerSec, maxIterPerSec, maxBatch);
      let written = 0;
      const counted = async (inputs: RecordInput[]) => {
        const result = await via(inputs);
        if (!partlyFailed(result)) written += inputs.length;
        return result;
      };
      return new ArrivalRate({
        iterationsPerSec,
        durationMs: opts.durationMs,
        maxInFlight: 64,
        signal: load.signal,
        iteration: (_i, intendedAt) => write(batch, intendedAt, counted),
      })
        .run()
        .then((result) => ({ ...result, written }));
    };
    // Fault windows (outage=30s@10s) count from here: the start of the load, not of the mock.
    await target.admin?.startFaultClock();
    const drivers = [
      drive(apiEventsPerSec, apiReqPerSec, batchMax, (inputs) => api.batchUpsert('contacts', inputs)),
    ];
    const admin = target.admin;
    if (firehoseEventsPerSec > 0 && admin) {
      drivers.push(drive(firehoseEventsPerSec, 100, 1000, (inputs) => admin.firehose('contacts', inputs)));
    }

    const started = Date.now();
    const ticker = setInterval(() => {
      const elapsed = Date.now() - started;
      ctx.progress({
        phase: elapsed < opts.durationMs ? 'storm' : 'drain',
        done: Math.min(elapsed, opts.durationMs),
        total: opts.durationMs,
        detail: `sent ${observer.written.size} received ${observer.received.size} applied ${observer.applied.size} dup ${observer.duplicatesReceived}`,
      });
    }, 250);
    let results: (ArrivalRateResult & { written: number })[];
    try {
      results = await Promise.all(drivers);
      const stormMs = Math.max(...results.map((r) => r.spanMs));
      // After a Ctrl-C, still collect what is already on its way, briefly.
      const grace = signal.aborted ? Math.min(opts.graceMs, 2000) : opts.graceMs;
      const settle = new AbortController();
      await waitFor(
        () =>
          observer.written.missingFrom(observer.received) === 0 &&
          observer.applied.size >= observer.received.size,
        grace,
        signal.aborted ? settle.signal : signal,
      );
      const sent = observer.written.size;
      const loss = observer.written.missingFrom(observer.received);
      // Each path ran its own schedule (batch sizes differ): add their rates, not their counts.
      const achieved = results.reduce(
        (sum, r) => sum + (r.spanMs > 0 ? (r.written / r.spanMs) * 1000 : 0),
        0,
      );
      const lat = observer.latency.summary();
      const values: Partial<Record<FindingKey, number>> = {
        'webhook.target_rate_per_s': opts.rate,
        'webhook.achieved_rate_per_s': achieved,
        'webhook.achieved_rate_ratio': achieved / opts.rate,
        'webhook.api_planned_rate_per_s': apiEventsPerSec,
        'webhook.firehose_planned_rate_per_s': firehoseEventsPerSec,
        'webhook.events_sent_count': sent,
        'webhook.events_received_count': observer.received.size,
        'webhook.loss_count': loss,
        'webhook.loss_ratio': sent === 0 ? 0 : loss / sent,
        'webhook.duplicates_received_count': observer.duplicatesReceived,
        'webhook.duplicates_applied_count': observer.duplicatesApplied,
        'webhook.out_of_order_count': observer.outOfOrder,
        'webhook.vendor_retried_count': observer.vendorRetried,
        'webhook.write_errors_count': writeErrors,
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
        'api.requests_count': counters.requests,
        'api.retries_count': counters.retries,
        'api.rate_limited_count': counters.rateLimited,
      };
      const evidence = `${target.describe()}; ${sent} events over ${(stormMs / 1000).toFixed(1)} s, grace ${grace / 1000} s`;
      const findings: Finding[] = Object.entries(values).map(([key, value]) => ({
        key,
        value: Number.isFinite(value) ? value : 0,
        unit: FINDING_UNITS[key as FindingKey],
        evidence,
      }));
      if (observer.foreign > 0)
        notes.push(`${observer.foreign} events did not belong to this storm and were ignored`);
      if ((values['load.dropped_iterations_count'] ?? 0) > 0) {
        notes.push(
          'the load generator could not hold the asked rate (dropped iterations): achieved rate is below target',
        );
      }
      return {
        findings,
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
  },
};

async function rejectedCount(ctx: RunContext): Promise<number> {
  const metric = await ctx.metrics.requests.get();
  return metric.values
    .filter((v) => v.labels.status === '401' || v.labels.status === '400')
    .reduce((n, v) => n + v.value, 0);
}
