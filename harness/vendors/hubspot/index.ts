import type { VendorAdapter } from '../types.js';
import { hubspotApi } from './api.js';
import { parseHubspotDelivery } from './events.js';
import { hubspotProfile } from './profile.js';
import { signHeaders, verifyHubspot } from './signature.js';

export const hubspot: VendorAdapter = {
  profile: hubspotProfile,
  api: hubspotApi,
  webhooks(secrets) {
    const toleranceMs = secrets.toleranceMs ?? hubspotProfile.webhooks.timestampToleranceMs.value;
    const primary = secrets.secrets[0] ?? '';
    return {
      // Every delivery HubSpot sends is JSON (shared/vendors.md §1.5, headers seen on deliveries).
      contentTypes: ['application/json'],
      security: {
        kind: 'hmac',
        coversBody: true,
        coversTimestamp: true,
        proofHeaders: ['x-hubspot-signature-v3', 'x-hubspot-request-timestamp'],
      },
      verify: (delivery, now) =>
        verifyHubspot(delivery, now, {
          secrets: secrets.secrets,
          toleranceMs,
          acceptLegacy: secrets.acceptLegacy ?? false,
        }),
      parse: parseHubspotDelivery,
      sign: (input) => signHeaders(primary, 'v3', input),
    };
  },
};
