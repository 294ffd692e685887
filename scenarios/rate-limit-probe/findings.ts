import { defineFindings, fact, measure } from '../../harness/runs/vocabulary.js';

// The limits the vendor documents and advertises are design; what it sustains is its service.
export const RATE_LIMIT_PROBE_FINDINGS = defineFindings({
  'ratelimit.burst_requests': fact(
    'requests',
    'requests admitted back to back before the vendor throttled',
    'service',
  ),
  'ratelimit.sustained_per_s': measure(
    'requests/s',
    'the rate the vendor sustains once the burst is spent',
    'higher',
    'rate',
    'service',
  ),
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
  'ratelimit.documented_per_s': fact('requests/s', 'the documented short-window limit, per second', 'design'),
  'ratelimit.documented_burst_requests': fact(
    'requests',
    'the documented short-window limit, in requests',
    'design',
  ),
  'ratelimit.advertised_limit_requests': fact('requests', 'the limit the vendor’s headers claimed', 'design'),
  'ratelimit.advertised_window_ms': fact('ms', 'the window the vendor’s headers claimed', 'design'),
  'ratelimit.advertised_daily_limit_requests': fact(
    'requests',
    'the daily quota the vendor’s headers claimed',
    'design',
  ),
  'ratelimit.advertised_daily_remaining_requests': fact(
    'requests',
    'the daily quota left, as the headers claimed at the end',
  ),
  'ratelimit.header_checks': fact(
    'checks',
    'limit-header claims the probe could compare with what it observed (0: header honesty unknown)',
    'design',
  ),
  'ratelimit.header_mismatch_count': measure(
    'mismatches',
    'limit headers that disagreed with what was observed; absent when none could be compared',
    'lower',
    'exact',
    'design',
  ),
  'ratelimit.retry_after_honest': measure(
    'bool',
    'capacity was back when Retry-After said (within its one-second grain)',
    'higher',
    'rate',
    'design',
  ),
  'ratelimit.penalty_ms': measure(
    'ms',
    'extra wait for going over the limit, beyond the window or refill',
    'lower',
    'latency',
    'service',
  ),
  'ratelimit.throttle_status': fact(
    'status',
    'the HTTP status of the over-limit answer (HubSpot 429, Salesforce 403)',
    'design',
  ),
  'ratelimit.requests_spent': fact('requests', 'probe requests spent from the budget'),
});

export type RateLimitProbeFinding = keyof typeof RATE_LIMIT_PROBE_FINDINGS;
