import { z } from 'zod';
import { count, duration } from '../../harness/config/fields.js';
import { defineScenario } from '../../harness/scenario.js';
import { RATE_LIMIT_PROBE_FINDINGS } from './findings.js';

export const rateLimitProbeOptions = z
  .object({
    // Refines the run's --max-requests: the probe always spends from a budget (live quotas are money).
    maxRequests: count(20, 'needs at least 20 requests to see a burst and a reset')
      .default(1000)
      .describe('probe requests the run may spend (retries count)')
      .meta({ cli: { placeholder: 'n' } }),
    maxWait: duration().default(180_000).describe('longest wait for capacity to come back'),
  })
  .strict();

export const rateLimitProbe = defineScenario({
  id: 'rate-limit-probe',
  summary:
    'Infer the real rate limits on a bounded budget: burst, sustained rate, window, headers, Retry-After, penalty.',
  receivesWebhooks: false,
  options: rateLimitProbeOptions,
  findings: RATE_LIMIT_PROBE_FINDINGS,
  run: async (ctx, options) => (await import('./run.js')).runRateLimitProbe(ctx, options),
});
