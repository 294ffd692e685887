import { RECONCILE_FINDINGS } from '../../harness/recovery/findings.js';
import { defineFindings, fact, measure } from '../../harness/runs/vocabulary.js';
import { API_FINDINGS } from '../../harness/targets/connect.js';

// What `poc reconcile` alone reports of the local store; the scenario reports the rest.
const {
  'reconcile.local_records_count': _local,
  'reconcile.matched_count': _matched,
  'reconcile.drift_count': _drift,
  ...reconcile
} = RECONCILE_FINDINGS;

// Whether the vendor can replay, for how long, and what drift its retries leave are its design.
export const REPLAY_BACKFILL_FINDINGS = defineFindings({
  'history.changes_count': fact('changes', 'changes made in the simulated history'),
  'history.events_received_count': fact('events', 'events the receiver got for the history'),
  'history.span_s': fact('s', 'vendor time the history covers'),
  'outage.duration_s': fact('s', 'vendor time the receiver was down'),
  'outage.changes_count': fact('changes', 'changes made while the receiver was down'),
  'outage.deliveries_refused_count': fact('requests', 'deliveries the receiver refused (503) while down'),
  'retries.events_after_outage_count': fact(
    'events',
    'events the vendor’s own retries delivered after the outage',
  ),
  'drift.before_missing_count': measure(
    'records',
    'records missing once the vendor’s retries settled, before recovery',
    'lower',
    'count',
    'design',
  ),
  'drift.before_stale_count': measure(
    'records',
    'records stale once the vendor’s retries settled, before recovery',
    'lower',
    'count',
    'design',
  ),
  'drift.before_extra_count': measure(
    'records',
    'records extra once the vendor’s retries settled, before recovery',
    'lower',
    'count',
    'design',
  ),
  'replay.available': measure(
    'bool',
    'the vendor offers a change feed to replay from (CDC replayId, delta links)',
    'higher',
    'exact',
    'design',
  ),
  'replay.retention_s': measure(
    's',
    'how long the vendor keeps a feed position resumable',
    'higher',
    'exact',
    'design',
  ),
  'replay.covers_outage': measure(
    'bool',
    'the feed still held the position from before the outage',
    'higher',
    'exact',
    'design',
  ),
  'replay.changes_count': fact('changes', 'changes read from the feed'),
  'replay.recovered_count': fact('records', 'records the replay brought up to date'),
  'replay.api_calls_count': fact('requests', 'API calls the replay took'),
  'backfill.records_fetched_count': fact('records', 'records the modified-since backfill read'),
  'backfill.recovered_count': fact('records', 'records the backfill brought up to date'),
  'backfill.deleted_recovered_count': fact('records', 'deletions the vendor’s deleted list recovered'),
  'backfill.api_calls_count': fact('requests', 'API calls the backfill took'),
  ...reconcile,
  'recovery.duration_ms': measure('ms', 'time the replay or backfill took', 'lower', 'latency', 'service'),
  'recovery.time_to_recover_ms': measure(
    'ms',
    'from the receiver’s return to a reconciled store',
    'lower',
    'latency',
    'service',
  ),
  'api.requests_count': API_FINDINGS['api.requests_count'],
  'api.rate_limited_count': API_FINDINGS['api.rate_limited_count'],
});

export type ReplayBackfillFinding = keyof typeof REPLAY_BACKFILL_FINDINGS;
