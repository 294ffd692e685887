import { dynamicsEmulation } from './dynamics/index.js';
import type { VendorEmulation } from './emulation.js';
import { hubspotEmulation } from './hubspot/index.js';
import { pipedriveEmulation } from './pipedrive/index.js';
import { salesforceEmulation } from './salesforce/index.js';
import { standardEmulation } from './standard/index.js';
import { zohoEmulation } from './zoho/index.js';

/** Every vendor the mock can emulate, by id (the same ids as harness/vendors). */
export const EMULATIONS: Readonly<Record<string, VendorEmulation>> = {
  dynamics: dynamicsEmulation,
  hubspot: hubspotEmulation,
  pipedrive: pipedriveEmulation,
  salesforce: salesforceEmulation,
  standard: standardEmulation,
  zoho: zohoEmulation,
};
