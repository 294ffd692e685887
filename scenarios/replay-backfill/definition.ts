import { z } from 'zod';
import { count, duration } from '../../harness/config/fields.js';
import { defineScenario } from '../../harness/scenario.js';
import { REPLAY_BACKFILL_FINDINGS } from './findings.js';

const DAY = 86_400_000;
const upToAYear = (schema: ReturnType<typeof duration>) =>
  schema.refine((ms) => ms > 0 && ms <= 365 * DAY, 'must be above 0 and at most 365d');

export const replayBackfillOptions = z
  .object({
    history: upToAYear(duration())
      .default(30 * DAY)
      .describe('simulated history before the outage'),
    outage: upToAYear(duration()).default(600_000).describe('how long the receiver is down'),
    changes: count(100).max(2_000_000).default(50_000).describe('changes in the history'),
    outageChanges: count(1).max(1_000_000).default(2_000).describe('changes made while the receiver is down'),
    overlap: duration()
      .default(300_000)
      .describe('how far before the outage the backfill starts reading, against clock skew and late commits'),
    grace: duration().default(30_000).describe('longest wait for the vendor’s retries to finish'),
  })
  .strict();

export const replayBackfill = defineScenario({
  id: 'replay-backfill',
  summary:
    'Miss events on purpose (receiver down), recover with the vendor’s replay or a backfill, reconcile against a full snapshot.',
  receivesWebhooks: true,
  // Ten minutes of vendor time per second: a 10-minute outage lasts 1 s, long enough for the
  // vendor's delivery queue to attempt (and fail) what it held, as it would in a real outage.
  defaultTimeScale: 600,
  options: replayBackfillOptions,
  findings: REPLAY_BACKFILL_FINDINGS,
  run: async (ctx, options) => (await import('./run.js')).runReplayBackfill(ctx, options),
});
