import { DYNAMICS_API } from './mock-api-dynamics.js';
import { HUBSPOT_API } from './mock-api-hubspot.js';
import { PIPEDRIVE_API } from './mock-api-pipedrive.js';
import { SALESFORCE_API } from './mock-api-salesforce.js';
import { STANDARD_API } from './mock-api-standard.js';
import type { MockApiTarget } from './mock-api-target.js';
import { ZOHO_API } from './mock-api-zoho.js';

/** The emulations of the mock-API fuzzer's first slice (mock-api-fuzz.test.ts), by vendor id. */
export const MOCK_API_TARGETS: Readonly<Record<string, MockApiTarget>> = {
  hubspot: HUBSPOT_API,
  salesforce: SALESFORCE_API,
  standard: STANDARD_API,
};

/** The emulations of its second slice (mock-api-fuzz-others.test.ts), by vendor id. */
export const OTHER_MOCK_API_TARGETS: Readonly<Record<string, MockApiTarget>> = {
  dynamics: DYNAMICS_API,
  pipedrive: PIPEDRIVE_API,
  zoho: ZOHO_API,
};

/** Every emulation the mock-API fuzzer can drive. */
export const ALL_MOCK_API_TARGETS: Readonly<Record<string, MockApiTarget>> = {
  ...MOCK_API_TARGETS,
  ...OTHER_MOCK_API_TARGETS,
};
