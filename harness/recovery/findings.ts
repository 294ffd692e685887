import { defineFindings, type FindingSpec } from '../runs/vocabulary.js';

/**
 * What a reconcile (local store vs a full vendor snapshot) reports, in replay-backfill and in
 * `poc reconcile`. Drift left after recovery follows from the vendor's documented recovery
 * facts (replay windows, deleted lists), which the emulation reproduces: design evidence.
 */
const drift = (description: string): FindingSpec => ({
  unit: 'records',
  description,
  better: 'lower',
  noise: 'exact',
  evidence: 'design',
});

export const RECONCILE_FINDINGS = defineFindings({
  'reconcile.vendor_records_count': {
    unit: 'records',
    description: 'records in the vendor snapshot',
    better: 'none',
    evidence: 'run',
  },
  'reconcile.local_records_count': {
    unit: 'records',
    description: 'records in the local store',
    better: 'none',
    evidence: 'run',
  },
  'reconcile.matched_count': {
    unit: 'records',
    description: 'records equal in both, field by field',
    better: 'none',
    evidence: 'run',
  },
  'reconcile.missing_count': drift('vendor records the local store lacks'),
  'reconcile.stale_count': drift('local records older than the vendor’s, field by field'),
  'reconcile.extra_count': drift('local records the vendor no longer has (deleted or merged away)'),
  'reconcile.duplicates_count': drift('records the snapshot repeated across its pages'),
  'reconcile.conflicts_count': {
    unit: 'records',
    description: 'records newer locally than at the vendor (kept: last writer wins)',
    better: 'none',
    evidence: 'run',
  },
  'reconcile.repaired_count': {
    unit: 'records',
    description: 'records the reconcile repaired in the local store',
    better: 'lower',
    noise: 'count',
    evidence: 'design',
  },
  'reconcile.drift_count': drift('missing + stale + extra + duplicates'),
  'reconcile.api_calls_count': {
    unit: 'requests',
    description: 'API calls the snapshot read took',
    better: 'none',
    evidence: 'run',
  },
  'reconcile.records_per_s': {
    unit: 'records/s',
    description: 'snapshot records read and compared per second',
    better: 'higher',
    noise: 'throughput',
    evidence: 'service',
  },
});
