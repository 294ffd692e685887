import { defineFindings, type FindingSpec } from '../../harness/runs/vocabulary.js';
import { API_FINDINGS } from '../../harness/targets/connect.js';

const events = (description: string, spec: Partial<FindingSpec> = {}): FindingSpec => ({
  unit: 'events',
  description,
  better: 'none',
  evidence: 'run',
  ...spec,
});
// Documented by the vendor, listed from its profile: what its console and APIs offer.
const level = (description: string): FindingSpec => ({
  unit: 'level',
  description,
  better: 'higher',
  noise: 'exact',
  evidence: 'design',
});

export const OBSERVABILITY_MAPPING_FINDINGS = defineFindings({
  'observability.writes_count': {
    unit: 'requests',
    description: 'traced API writes, each its own trace',
    better: 'none',
    evidence: 'run',
  },
  'observability.events_sent_count': events('changes written'),
  'observability.events_received_count': events('this run’s events received'),
  'observability.events_unattributed_count': events('events that carried no value of this run'),
  'observability.events_correlated_count': events('events linked to the trace of the write that caused them'),
  'observability.correlated_ratio': {
    unit: 'ratio',
    description: 'correlated / received',
    better: 'higher',
    noise: 'rate',
    evidence: 'design',
  },
  'observability.events_processed_count': events('events applied by the processor'),
  'observability.propagates_trace_context': {
    unit: 'bool',
    description: 'the vendor sent the write’s traceparent back on its webhook',
    better: 'higher',
    noise: 'exact',
    evidence: 'design',
  },
  'observability.event_ids_present': {
    unit: 'ratio',
    description: 'share of events carrying an event id',
    better: 'higher',
    noise: 'rate',
    evidence: 'design',
  },
  'observability.event_ids_unique': {
    unit: 'bool',
    description: 'no two changes shared an event id',
    better: 'higher',
    noise: 'exact',
    evidence: 'design',
  },
  'observability.event_id_collisions_count': events('events whose id another change already used', {
    better: 'lower',
    noise: 'exact',
    evidence: 'design',
  }),
  'observability.vendor_delivery_visibility_level': level(
    'what the vendor documents for seeing its deliveries (0..3)',
  ),
  'observability.vendor_audit_log_level': level('what the vendor documents for auditing changes (0..3)'),
  'api.requests_count': API_FINDINGS['api.requests_count'],
});

export type ObservabilityMappingFinding = keyof typeof OBSERVABILITY_MAPPING_FINDINGS;
