import { hubspotMockProfile } from './hubspot/index.js';
import type { MockProfile } from './profile.js';

/** Every vendor the mock can emulate, by id (the same ids as harness/vendors). */
export const MOCK_PROFILES: Readonly<Record<string, MockProfile>> = {
  hubspot: hubspotMockProfile,
};
