import type { z } from 'zod';
import { hubspotOptions } from './hubspot/options.js';

/** A vendor's own options of `poc mock-vendor` and `poc receiver`, beside the generic ones. */
export interface VendorCommandOptions {
  readonly mock?: z.ZodObject;
  readonly receiver?: z.ZodObject;
}

/**
 * Vendors with options of their own, by id. Light on purpose (schemas only): the CLI builds its
 * help from it without loading any adapter. Other vendors take only the generic options.
 */
export const VENDOR_OPTIONS: Readonly<Record<string, VendorCommandOptions>> = {
  hubspot: hubspotOptions,
};
