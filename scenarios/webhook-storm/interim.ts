import type { WebhookStormFinding } from './findings.js';
import type { StormObserver } from './observer.js';

/** The findings a storm knows while it runs, reported at each progress tick for abortOnFail. */
export const INTERIM_FINDINGS = [
  'webhook.events_sent_count',
  'webhook.events_received_count',
  'webhook.loss_count',
  'webhook.loss_ratio',
  'webhook.duplicates_received_count',
  'webhook.duplicates_applied_count',
  'webhook.out_of_order_count',
  'webhook.vendor_retried_count',
  'webhook.write_errors_count',
  'webhook.dead_letter_count',
  'webhook.latency_p50_ms',
  'webhook.latency_p95_ms',
  'webhook.latency_p99_ms',
  'webhook.latency_max_ms',
  'webhook.latency_raw_p99_ms',
  'webhook.apply_latency_p99_ms',
  'api.requests_count',
  'api.retries_count',
  'api.rate_limited_count',
] as const satisfies readonly WebhookStormFinding[];

type InterimFinding = (typeof INTERIM_FINDINGS)[number];

/**
 * Interim findings, measured as the final ones are. Loss is the one that needs care: an event
 * still on its way is not lost, so during the run an event counts as lost only once it was
 * written longer ago than --grace (the time the storm gives late deliveries after the load) and
 * has not arrived; loss_ratio is over the events that old.
 */
export class InterimFindings {
  /** When each sequence number was next to be issued, oldest first: seqs are issued in time order. */
  private readonly issuedAt: { at: number; seq: number }[] = [];
  /** Every seq below this was issued at least a grace ago: old enough to judge. */
  private judgedBelow = 0;

  constructor(
    private readonly observer: StormObserver,
    private readonly graceMs: number,
    private readonly issued: () => number,
    private readonly run: () => {
      writeErrors: number;
      counters: { requests: number; retries: number; rateLimited: number };
    },
  ) {}

  /** The findings as of `now`; latency only once something was measured (an empty histogram is not 0 ms). */
  at(now: number): Partial<Record<InterimFinding, number>> {
    const o = this.observer;
    this.issuedAt.push({ at: now, seq: this.issued() });
    for (let mark = this.issuedAt[0]; mark && mark.at <= now - this.graceMs; mark = this.issuedAt[0]) {
      this.judgedBelow = mark.seq;
      this.issuedAt.shift();
    }
    const judgedBelow = this.judgedBelow;
    const judged = o.written.sizeBelow(judgedBelow);
    const lost = o.written.missingFrom(o.received, judgedBelow);
    const { writeErrors, counters } = this.run();
    const lat = o.latency.summary();
    return {
      'webhook.events_sent_count': o.written.size,
      'webhook.events_received_count': o.received.size,
      'webhook.loss_count': lost,
      ...(judged > 0 ? { 'webhook.loss_ratio': lost / judged } : {}),
      'webhook.duplicates_received_count': o.duplicatesReceived,
      'webhook.duplicates_applied_count': o.duplicatesApplied,
      'webhook.out_of_order_count': o.outOfOrder,
      'webhook.vendor_retried_count': o.vendorRetried,
      'webhook.write_errors_count': writeErrors,
      'webhook.dead_letter_count': o.deadLetters,
      ...(lat.count > 0
        ? {
            'webhook.latency_p50_ms': lat.p50,
            'webhook.latency_p95_ms': lat.p95,
            'webhook.latency_p99_ms': lat.p99,
            'webhook.latency_max_ms': lat.max,
            'webhook.latency_raw_p99_ms': o.rawLatency.summary().p99,
          }
        : {}),
      ...(o.applyLatency.count > 0 ? { 'webhook.apply_latency_p99_ms': o.applyLatency.summary().p99 } : {}),
      'api.requests_count': counters.requests,
      'api.retries_count': counters.retries,
      'api.rate_limited_count': counters.rateLimited,
    };
  }
}
