import { defineFindings, fact, measure } from '../../harness/runs/vocabulary.js';
import { API_FINDINGS } from '../../harness/targets/connect.js';

// The vendor_* levels are what the vendor documents (its profile), listed, not measured.
export const OBSERVABILITY_MAPPING_FINDINGS = defineFindings({
  'observability.writes_count': fact('requests', 'traced API writes, each its own trace'),
  'observability.events_sent_count': fact('events', 'changes written'),
  'observability.events_received_count': fact('events', 'this run’s events received'),
  'observability.events_unattributed_count': fact('events', 'events that carried no value of this run'),
  'observability.events_correlated_count': fact(
    'events',
    'events linked to the trace of the write that caused them',
  ),
  'observability.correlated_ratio': measure('ratio', 'correlated / received', 'higher', 'rate', 'design'),
  'observability.events_processed_count': fact('events', 'events applied by the processor'),
  'observability.propagates_trace_context': measure(
    'bool',
    'the vendor sent the write’s traceparent back on its webhook',
    'higher',
    'exact',
    'design',
  ),
  'observability.event_ids_present': measure(
    'ratio',
    'share of events carrying an event id',
    'higher',
    'rate',
    'design',
  ),
  'observability.event_ids_unique': measure(
    'bool',
    'no two changes shared an event id',
    'higher',
    'exact',
    'design',
  ),
  'observability.event_id_collisions_count': measure(
    'events',
    'events whose id another change already used',
    'lower',
    'exact',
    'design',
  ),
  'observability.vendor_delivery_visibility_level': measure(
    'level',
    'what the vendor documents for seeing its deliveries (0..3)',
    'higher',
    'exact',
    'design',
  ),
  'observability.vendor_audit_log_level': measure(
    'level',
    'what the vendor documents for auditing changes (0..3)',
    'higher',
    'exact',
    'design',
  ),
  'api.requests_count': API_FINDINGS['api.requests_count'],
});

export type ObservabilityMappingFinding = keyof typeof OBSERVABILITY_MAPPING_FINDINGS;
