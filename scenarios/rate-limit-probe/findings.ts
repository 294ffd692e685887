import { defineFindings, type FindingSpec } from '../../harness/runs/vocabulary.js';

const fact = (
  unit: string,
  description: string,
  evidence: FindingSpec['evidence'] = 'design',
): FindingSpec => ({
  unit,
  description,
  better: 'none',
  evidence,
});

export const RATE_LIMIT_PROBE_FINDINGS = defineFindings({
  'ratelimit.burst_requests': fact(
    'requests',
    'requests admitted back to back before the vendor throttled',
    'service',
  ),
  'ratelimit.sustained_per_s': {
    unit: 'requests/s',
    description: 'the rate the vendor sustains once the burst is spent',
    better: 'higher',
    noise: 'rate',
    evidence: 'service',
  },
  'ratelimit.window_ms': fact(
    'ms',
    'time between consecutive resets (or a full refill of a token bucket)',
    'service',
  ),
  'ratelimit.token_bucket': fact(
    'bool',
    'capacity came back a little at a time (token bucket) rather than at a reset',
    'service',
  ),
  'ratelimit.documented_per_s': fact('requests/s', 'the documented short-window limit, per second'),
  'ratelimit.documented_burst_requests': fact('requests', 'the documented short-window limit, in requests'),
  'ratelimit.advertised_limit_requests': fact('requests', 'the limit the vendor’s headers claimed'),
  'ratelimit.advertised_window_ms': fact('ms', 'the window the vendor’s headers claimed'),
  'ratelimit.advertised_daily_limit_requests': fact(
    'requests',
    'the daily quota the vendor’s headers claimed',
  ),
  'ratelimit.advertised_daily_remaining_requests': fact(
    'requests',
    'the daily quota left, as the headers claimed at the end',
    'run',
  ),
  'ratelimit.header_mismatch_count': {
    unit: 'mismatches',
    description: 'limit headers that disagreed with what was observed',
    better: 'lower',
    noise: 'exact',
    evidence: 'design',
  },
  'ratelimit.retry_after_honest': {
    unit: 'bool',
    description: 'capacity was back when Retry-After said (within its one-second grain)',
    better: 'higher',
    noise: 'rate',
    evidence: 'design',
  },
  'ratelimit.penalty_ms': {
    unit: 'ms',
    description: 'extra wait for going over the limit, beyond the window or refill',
    better: 'lower',
    noise: 'latency',
    evidence: 'service',
  },
  'ratelimit.throttle_status': fact(
    'status',
    'the HTTP status of the over-limit answer (HubSpot 429, Salesforce 403)',
  ),
  'ratelimit.requests_spent': fact('requests', 'probe requests spent from the budget', 'run'),
});

export type RateLimitProbeFinding = keyof typeof RATE_LIMIT_PROBE_FINDINGS;
