import { PocError } from '../errors.js';
import { hubspot } from './hubspot/index.js';
import type { VendorAdapter } from './types.js';

/** Every vendor poc can evaluate, by id. */
export const VENDORS: Readonly<Record<string, VendorAdapter>> = { hubspot };

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
