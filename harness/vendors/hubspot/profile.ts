import type { VendorProfile } from '../types.js';

const DOCS = 'https://developers.hubspot.com';

/** HubSpot's documented facts (shared/vendors.md §1), each with its source and confidence. */
export const hubspotProfile: VendorProfile = {
  id: 'hubspot',
  name: 'HubSpot',
  liveBaseUrl: 'https://api.hubapi.com',
  credentialsEnv: {
    token: 'POC_HUBSPOT_ACCESS_TOKEN',
    webhookSecret: 'POC_HUBSPOT_CLIENT_SECRET',
    baseUrl: 'POC_HUBSPOT_BASE_URL',
  },
  batchMax: {
    value: 100,
    source: `${DOCS}/docs/api-reference/legacy/crm/objects/contacts/batch/upsert-contacts`,
    confidence: 'secondary',
  },
  mergesRecords: {
    value: true,
    source: 'https://developers.hubspot.com/changelog/updated-merge-functionality-for-contacts-and-companies',
    confidence: 'secondary',
  },
  rateLimits: [
    {
      value: {
        name: 'ten_secondly_rolling',
        requests: 190,
        windowMs: 10_000,
        scope: 'portal (Professional)',
      },
      source: `${DOCS}/changelog/increasing-our-api-limits`,
      confidence: 'verified',
    },
    {
      value: { name: 'daily', requests: 650_000, windowMs: 86_400_000, scope: 'portal (Professional)' },
      source: `${DOCS}/changelog/increasing-our-api-limits`,
      confidence: 'verified',
    },
  ],
  webhooks: {
    scheme: {
      value: 'hubspot-v3',
      source: `${DOCS}/changelog/introducing-version-3-of-webhook-signatures`,
      confidence: 'verified',
    },
    batchMax: { value: 100, source: `${DOCS}/docs/api/webhooks`, confidence: 'secondary' },
    concurrency: { value: 10, source: `${DOCS}/docs/api/webhooks`, confidence: 'secondary' },
    retry: {
      // HubSpot documents "up to 10 retries spread over 24 hours with randomised delays" but not
      // the delays themselves; these nominal steps add up to ~23.7 h and are jittered by ±25 %.
      value: {
        delaysMs: [30, 60, 180, 600, 1800, 3600, 7200, 14_400, 21_600, 36_000].map((s) => s * 1000),
        jitter: 0.25,
        timeoutMs: 5000,
      },
      source: `${DOCS}/changelog/2018-12-10-updated-webhook-retry-logic`,
      confidence: 'secondary',
    },
    timestampToleranceMs: {
      value: 300_000,
      source: 'github.com/HubSpot/hubspot-api-nodejs src/utils/signature.ts (MAX_ALLOWED_TIMESTAMP)',
      confidence: 'verified',
    },
    replay: { value: 'none', source: `${DOCS}/docs/api/webhooks`, confidence: 'secondary' },
  },
  // What the vendor documents about seeing its deliveries and changes from its side. Data, not
  // measurement: the mock emulates none of it, and a live run can only point at the console.
  observability: {
    deliveryLog: {
      value: {
        what: 'app Monitoring > Webhooks: every delivery with response, status (success, will retry, failed), filters; UI only',
        level: 2,
      },
      source: 'https://developers.hubspot.com/docs/methods/check-daily-api-usage',
      confidence: 'verified',
    },
    auditLog: {
      value: {
        what: 'account audit log (Enterprise) in Settings > Security; an account-activity API is reported',
        level: 2,
      },
      source: 'https://developers.hubspot.com/docs/api/settings/account-activity-api',
      confidence: 'unverified',
    },
  },
};
