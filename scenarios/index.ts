import { PocError } from '../harness/errors.js';
import { observabilityMapping } from './observability-mapping.js';
import { rateLimitProbe } from './rate-limit-probe.js';
import { replayBackfill } from './replay-backfill.js';
import { signatureCheck } from './signature-check.js';
import type { Scenario } from './types.js';
import { webhookStorm } from './webhook-storm.js';

/** The playbook's scenarios, by id. */
export const SCENARIOS: Readonly<Record<string, Scenario<never>>> = {
  [webhookStorm.id]: webhookStorm as Scenario<never>,
  [rateLimitProbe.id]: rateLimitProbe as Scenario<never>,
  [replayBackfill.id]: replayBackfill as Scenario<never>,
  [signatureCheck.id]: signatureCheck as Scenario<never>,
  [observabilityMapping.id]: observabilityMapping as Scenario<never>,
};

export function getScenario(id: string): Scenario<never> {
  const scenario = SCENARIOS[id];
  if (!scenario) {
    throw new PocError(
      'POC_ERR_UNKNOWN_SCENARIO',
      `unknown scenario "${id}"; known: ${Object.keys(SCENARIOS).join(', ')}`,
    );
  }
  return scenario;
}
