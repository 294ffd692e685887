import { defineFindings, type FindingSpec } from '../../harness/runs/vocabulary.js';
import { API_FINDINGS } from '../../harness/targets/connect.js';

const latency = (description: string): FindingSpec => ({
  unit: 'ms',
  description,
  better: 'lower',
  noise: 'latency',
  evidence: 'service',
});
const events = (description: string, spec: Partial<FindingSpec> = {}): FindingSpec => ({
  unit: 'events',
  description,
  better: 'none',
  evidence: 'run',
  ...spec,
});

export const WEBHOOK_STORM_FINDINGS = defineFindings({
  'webhook.target_rate_per_s': {
    unit: 'events/s',
    description: 'the event rate asked of the vendor',
    better: 'none',
    evidence: 'run',
  },
  'webhook.achieved_rate_per_s': {
    unit: 'events/s',
    description: 'changes written per second, both paths added',
    better: 'higher',
    noise: 'rate',
    evidence: 'service',
  },
  'webhook.achieved_rate_ratio': {
    unit: 'ratio',
    description: 'achieved rate / target rate',
    better: 'higher',
    noise: 'rate',
    evidence: 'service',
  },
  'webhook.api_planned_rate_per_s': {
    unit: 'events/s',
    description: 'the part of the rate planned through the public API, under its documented limit',
    better: 'none',
    evidence: 'run',
  },
  'webhook.firehose_planned_rate_per_s': {
    unit: 'events/s',
    description: 'the part of the rate planned through the mock’s firehose (changes made inside the vendor)',
    better: 'none',
    evidence: 'run',
  },
  'webhook.events_sent_count': events('changes written that should each produce an event'),
  'webhook.events_received_count': events('distinct changes that reached the receiver'),
  'webhook.loss_count': events('changes written but never delivered after the grace period', {
    better: 'lower',
    noise: 'exact',
    evidence: 'service',
  }),
  'webhook.loss_ratio': {
    unit: 'ratio',
    description: 'lost / sent',
    better: 'lower',
    noise: 'exact',
    evidence: 'service',
  },
  'webhook.duplicates_received_count': events(
    'deliveries of an event already received (the receiver dedupes them)',
    {
      evidence: 'service',
    },
  ),
  'webhook.duplicates_applied_count': events('events applied to the local store twice: a receiver defect', {
    better: 'lower',
    noise: 'exact',
  }),
  'webhook.out_of_order_count': events(
    'changes delivered after a later change to the same record, by the vendor’s clock',
    {
      better: 'lower',
      noise: 'count',
      evidence: 'service',
    },
  ),
  'webhook.vendor_retried_count': events('events that arrived on a vendor retry (attempt > 0)', {
    better: 'lower',
    noise: 'count',
    evidence: 'service',
  }),
  'webhook.write_errors_count': events('changes whose API write failed', {
    better: 'lower',
    noise: 'exact',
    evidence: 'service',
  }),
  'webhook.latency_p50_ms': latency('write-to-delivery latency, median, from the intended send time'),
  'webhook.latency_p95_ms': latency(
    'write-to-delivery latency, 95th percentile, from the intended send time',
  ),
  'webhook.latency_p99_ms': latency(
    'write-to-delivery latency, 99th percentile, from the intended send time (coordinated omission corrected)',
  ),
  'webhook.latency_max_ms': latency('write-to-delivery latency, worst'),
  'webhook.latency_raw_p99_ms': latency('write-to-delivery latency, 99th percentile, from the actual send'),
  'webhook.apply_latency_p99_ms': latency('intended send to applied in the local store, 99th percentile'),
  'webhook.rejected_count': {
    unit: 'requests',
    description: 'deliveries the receiver refused (400 malformed, 401 unverified)',
    better: 'lower',
    noise: 'count',
    evidence: 'service',
  },
  'webhook.dead_letter_count': events('events the processor could not apply', {
    better: 'lower',
    noise: 'exact',
  }),
  'load.dropped_iterations_count': {
    unit: 'iterations',
    description: 'writes the load generator could not start on time (k6’s dropped_iterations)',
    better: 'lower',
    noise: 'count',
    evidence: 'run',
  },
  ...API_FINDINGS,
});

export type WebhookStormFinding = keyof typeof WEBHOOK_STORM_FINDINGS;
