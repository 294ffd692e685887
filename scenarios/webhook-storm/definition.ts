import { z } from 'zod';
import { count, duration, positive, share } from '../../harness/config/fields.js';
import { defineScenario } from '../../harness/scenario.js';
import { WEBHOOK_STORM_FINDINGS } from './findings.js';
import { INTERIM_FINDINGS } from './interim.js';

export const webhookStormOptions = z
  .object({
    rate: positive()
      .max(1_000_000)
      .default(1000)
      .describe('target events per second (open model: arrivals do not wait for responses)')
      .meta({ cli: { placeholder: 'events/s' } }),
    duration: duration().default(30_000).describe('how long to drive load, e.g. 30s, 2m'),
    grace: duration().default(30_000).describe('how long to wait for late deliveries after the load stops'),
    poolSize: count(100).max(1_000_000).default(1000).describe('records the storm updates in turn'),
    apiShare: share()
      .default(0.8)
      .describe('share of the documented API limit the storm may use')
      .meta({ cli: { placeholder: 'share' } }),
  })
  .strict();

export const webhookStorm = defineScenario({
  id: 'webhook-storm',
  summary:
    'Drive record changes at a target rate; measure delivery rate, loss, duplicates, order and latency.',
  receivesWebhooks: true,
  options: webhookStormOptions,
  findings: WEBHOOK_STORM_FINDINGS,
  interimFindings: INTERIM_FINDINGS,
  run: async (ctx, options) => (await import('./run.js')).runWebhookStorm(ctx, options),
});
