import { defineFindings, fact, measure } from '../runs/vocabulary.js';

/**
 * What a reconcile (local store vs a full vendor snapshot) reports, in replay-backfill and in
 * `poc reconcile`. Drift left after recovery follows from the vendor's documented recovery
 * facts (replay windows, deleted lists), which the emulation reproduces: design evidence.
 */
export const RECONCILE_FINDINGS = defineFindings({
  'reconcile.vendor_records_count': fact('records', 'records in the vendor snapshot'),
  'reconcile.local_records_count': fact('records', 'records in the local store'),
  'reconcile.matched_count': fact('records', 'records equal in both, field by field'),
  'reconcile.missing_count': measure(
    'records',
    'vendor records the local store lacks',
    'lower',
    'exact',
    'design',
  ),
  'reconcile.stale_count': measure(
    'records',
    'local records older than the vendor’s, field by field',
    'lower',
    'exact',
    'design',
  ),
  'reconcile.extra_count': measure(
    'records',
    'local records the vendor no longer has (deleted or merged away)',
    'lower',
    'exact',
    'design',
  ),
  'reconcile.duplicates_count': measure(
    'records',
    'records the snapshot repeated across its pages',
    'lower',
    'exact',
    'design',
  ),
  'reconcile.conflicts_count': fact(
    'records',
    'records newer locally than at the vendor (kept: last writer wins)',
  ),
  'reconcile.repaired_count': measure(
    'records',
    'records the reconcile repaired in the local store',
    'lower',
    'count',
    'design',
  ),
  'reconcile.drift_count': measure(
    'records',
    'missing + stale + extra + duplicates',
    'lower',
    'exact',
    'design',
  ),
  'reconcile.api_calls_count': fact('requests', 'API calls the snapshot read took'),
  'reconcile.records_per_s': measure(
    'records/s',
    'snapshot records read and compared per second',
    'higher',
    'throughput',
    'service',
  ),
});
