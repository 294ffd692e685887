import { PocError } from '../errors.js';
import { dynamics } from './dynamics/index.js';
import { hubspot } from './hubspot/index.js';
import { pipedrive } from './pipedrive/index.js';
import { salesforce } from './salesforce/index.js';
import { standard } from './standard/index.js';
import type { VendorAdapter } from './types.js';
import { zoho } from './zoho/index.js';

/** Every vendor poc can evaluate, by id. */
export const VENDORS: Readonly<Record<string, VendorAdapter>> = {
  // hubspot first: error messages list the known vendors in this order (test/e2e/cli.test.ts).
  hubspot,
  dynamics,
  pipedrive,
  salesforce,
  standard,
  zoho,
};

export function getVendor(id: string): VendorAdapter {
  const vendor = VENDORS[id];
  if (!vendor) {
    throw new PocError(
      'POC_ERR_UNKNOWN_VENDOR',
      `--vendor: unknown vendor "${id}"; known: ${Object.keys(VENDORS).join(', ')}`,
    );
  }
  return vendor;
}
