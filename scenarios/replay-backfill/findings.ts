import { RECONCILE_FINDINGS } from '../../harness/recovery/findings.js';
import { defineFindings, type FindingSpec } from '../../harness/runs/vocabulary.js';
import { API_FINDINGS } from '../../harness/targets/connect.js';

const info = (unit: string, description: string): FindingSpec => ({
  unit,
  description,
  better: 'none',
  evidence: 'run',
});
// Whether the vendor can replay, and for how long, is its documented design.
const feed = (unit: string, description: string): FindingSpec => ({
  unit,
  description,
  better: 'higher',
  noise: 'exact',
  evidence: 'design',
});
const drift = (description: string): FindingSpec => ({
  unit: 'records',
  description,
  better: 'lower',
  noise: 'count',
  evidence: 'design',
});
const {
  'reconcile.local_records_count': _l,
  'reconcile.matched_count': _m,
  'reconcile.drift_count': _d,
  ...reconcile
} = RECONCILE_FINDINGS;

export const REPLAY_BACKFILL_FINDINGS = defineFindings({
  'history.changes_count': info('changes', 'changes made in the simulated history'),
  'history.events_received_count': info('events', 'events the receiver got for the history'),
  'history.span_s': info('s', 'vendor time the history covers'),
  'outage.duration_s': info('s', 'vendor time the receiver was down'),
  'outage.changes_count': info('changes', 'changes made while the receiver was down'),
  'outage.deliveries_refused_count': info('requests', 'deliveries the receiver refused (503) while down'),
  'retries.events_after_outage_count': info(
    'events',
    'events the vendor’s own retries delivered after the outage',
  ),
  'drift.before_missing_count': drift('records missing once the vendor’s retries settled, before recovery'),
  'drift.before_stale_count': drift('records stale once the vendor’s retries settled, before recovery'),
  'drift.before_extra_count': drift('records extra once the vendor’s retries settled, before recovery'),
  'replay.available': feed(
    'bool',
    'the vendor offers a change feed to replay from (CDC replayId, delta links)',
  ),
  'replay.retention_s': feed('s', 'how long the vendor keeps a feed position resumable'),
  'replay.covers_outage': feed('bool', 'the feed still held the position from before the outage'),
  'replay.changes_count': info('changes', 'changes read from the feed'),
  'replay.recovered_count': info('records', 'records the replay brought up to date'),
  'replay.api_calls_count': info('requests', 'API calls the replay took'),
  'backfill.records_fetched_count': info('records', 'records the modified-since backfill read'),
  'backfill.recovered_count': info('records', 'records the backfill brought up to date'),
  'backfill.deleted_recovered_count': info('records', 'deletions the vendor’s deleted list recovered'),
  'backfill.api_calls_count': info('requests', 'API calls the backfill took'),
  ...reconcile,
  'recovery.duration_ms': {
    unit: 'ms',
    description: 'time the replay or backfill took',
    better: 'lower',
    noise: 'latency',
    evidence: 'service',
  },
  'recovery.time_to_recover_ms': {
    unit: 'ms',
    description: 'from the receiver’s return to a reconciled store',
    better: 'lower',
    noise: 'latency',
    evidence: 'service',
  },
  'api.requests_count': API_FINDINGS['api.requests_count'],
  'api.rate_limited_count': API_FINDINGS['api.rate_limited_count'],
});

export type ReplayBackfillFinding = keyof typeof REPLAY_BACKFILL_FINDINGS;
