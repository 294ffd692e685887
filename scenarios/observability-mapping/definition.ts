import { z } from 'zod';
import { count, duration } from '../../harness/config/fields.js';
import { defineScenario } from '../../harness/scenario.js';
import { OBSERVABILITY_MAPPING_FINDINGS } from './findings.js';

export const observabilityMappingOptions = z
  .object({
    changes: count(1)
      .max(10_000)
      .default(100)
      .describe('records changed through the API, one vendor event each'),
    grace: duration().default(30_000).describe('how long to wait for the events'),
  })
  .strict();

export const observabilityMapping = defineScenario({
  id: 'observability-mapping',
  summary:
    'Write with trace context, receive the events; report correlation to local traces, trace-context propagation, event ids, vendor-side logs.',
  receivesWebhooks: true,
  options: observabilityMappingOptions,
  findings: OBSERVABILITY_MAPPING_FINDINGS,
  run: async (ctx, options) => (await import('./run.js')).runObservabilityMapping(ctx, options),
});
