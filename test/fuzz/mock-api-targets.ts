import { HUBSPOT_API } from './mock-api-hubspot.js';
import { SALESFORCE_API } from './mock-api-salesforce.js';
import { STANDARD_API } from './mock-api-standard.js';
import type { MockApiTarget } from './mock-api-target.js';

/** The emulations the mock-API fuzzer drives, by vendor id. */
export const MOCK_API_TARGETS: Readonly<Record<string, MockApiTarget>> = {
  hubspot: HUBSPOT_API,
  salesforce: SALESFORCE_API,
  standard: STANDARD_API,
};
