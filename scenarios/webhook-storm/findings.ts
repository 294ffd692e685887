import { defineFindings, fact, measure } from '../../harness/runs/vocabulary.js';
import { API_FINDINGS } from '../../harness/targets/connect.js';

export const WEBHOOK_STORM_FINDINGS = defineFindings({
  'webhook.target_rate_per_s': fact('events/s', 'the event rate asked of the vendor'),
  'webhook.achieved_rate_per_s': measure(
    'events/s',
    'changes written per second, both paths added',
    'higher',
    'rate',
    'service',
  ),
  'webhook.achieved_rate_ratio': measure('ratio', 'achieved rate / target rate', 'higher', 'rate', 'service'),
  'webhook.api_planned_rate_per_s': fact(
    'events/s',
    'the part of the rate planned through the public API, under its documented limit',
  ),
  'webhook.firehose_planned_rate_per_s': fact(
    'events/s',
    'the part of the rate planned through the mock’s firehose (changes made inside the vendor)',
  ),
  'webhook.events_sent_count': fact('events', 'changes written that should each produce an event'),
  'webhook.events_received_count': fact('events', 'distinct changes that reached the receiver'),
  'webhook.loss_count': measure(
    'events',
    'changes written but never delivered after the grace period',
    'lower',
    'exact',
    'service',
  ),
  'webhook.loss_ratio': measure('ratio', 'lost / sent', 'lower', 'exact', 'service'),
  'webhook.duplicates_received_count': fact(
    'events',
    'deliveries of an event already received (the receiver dedupes them)',
    'service',
  ),
  'webhook.duplicates_applied_count': measure(
    'events',
    'events applied to the local store twice: a receiver defect',
    'lower',
    'exact',
    'run',
  ),
  'webhook.out_of_order_count': measure(
    'events',
    'changes delivered after a later change to the same record, by the vendor’s clock',
    'lower',
    'count',
    'service',
  ),
  'webhook.vendor_retried_count': measure(
    'events',
    'events that arrived on a vendor retry (attempt > 0)',
    'lower',
    'count',
    'service',
  ),
  'webhook.write_errors_count': measure(
    'events',
    'changes whose API write failed',
    'lower',
    'exact',
    'service',
  ),
  'webhook.writes_unknown_count': fact(
    'events',
    'changes whose write Ctrl-C cut off in flight: the vendor may or may not have applied them',
  ),
  'webhook.latency_p50_ms': measure(
    'ms',
    'write-to-delivery latency, median, from the intended send time',
    'lower',
    'latency',
    'service',
  ),
  'webhook.latency_p95_ms': measure(
    'ms',
    'write-to-delivery latency, 95th percentile, from the intended send time',
    'lower',
    'latency',
    'service',
  ),
  'webhook.latency_p99_ms': measure(
    'ms',
    'write-to-delivery latency, 99th percentile, from the intended send time (coordinated omission corrected)',
    'lower',
    'latency',
    'service',
  ),
  'webhook.latency_max_ms': measure('ms', 'write-to-delivery latency, worst', 'lower', 'latency', 'service'),
  'webhook.latency_raw_p99_ms': measure(
    'ms',
    'write-to-delivery latency, 99th percentile, from the actual send',
    'lower',
    'latency',
    'service',
  ),
  'webhook.apply_latency_p99_ms': measure(
    'ms',
    'intended send to applied in the local store, 99th percentile',
    'lower',
    'latency',
    'service',
  ),
  'webhook.rejected_count': measure(
    'requests',
    'deliveries the receiver refused (400 malformed, 401 unverified)',
    'lower',
    'count',
    'service',
  ),
  'webhook.dead_letter_count': measure(
    'events',
    'events the processor could not apply',
    'lower',
    'exact',
    'run',
  ),
  'load.dropped_iterations_count': measure(
    'iterations',
    'writes the load generator could not start on time (k6’s dropped_iterations)',
    'lower',
    'count',
    'run',
  ),
  ...API_FINDINGS,
});

export type WebhookStormFinding = keyof typeof WEBHOOK_STORM_FINDINGS;
