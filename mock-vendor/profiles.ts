import { dynamicsMockProfile } from './dynamics/index.js';
import { hubspotMockProfile } from './hubspot/index.js';
import { pipedriveMockProfile } from './pipedrive/index.js';
import type { MockProfile } from './profile.js';
import { salesforceMockProfile } from './salesforce/index.js';
import { standardMockProfile } from './standard/index.js';
import { zohoMockProfile } from './zoho/index.js';

/** Every vendor the mock can emulate, by id (the same ids as harness/vendors). */
export const MOCK_PROFILES: Readonly<Record<string, MockProfile>> = {
  dynamics: dynamicsMockProfile,
  hubspot: hubspotMockProfile,
  pipedrive: pipedriveMockProfile,
  salesforce: salesforceMockProfile,
  standard: standardMockProfile,
  zoho: zohoMockProfile,
};
