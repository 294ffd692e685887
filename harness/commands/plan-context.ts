import { SCENARIOS } from '../../scenarios/index.js';
import type { PlanContext } from '../config/plan-file.js';
import { getVendor, VENDORS } from '../vendors/index.js';

/** What a plan file is checked against: the scenarios and vendors this poc knows, and the env. */
export function planContext(env: NodeJS.ProcessEnv = process.env): PlanContext {
  return {
    scenarios: SCENARIOS,
    knownVendors: Object.keys(VENDORS),
    credentialsEnv: (vendor) => getVendor(vendor).profile.credentialsEnv,
    env,
  };
}
