import type { Documented, VendorProfile } from '../types.js';

const DOCS = 'https://www.zoho.com/crm/developer/docs/api/v8';
const LIMITS = `${DOCS}/api-limits.html`;

export type ZohoEdition = 'free' | 'standard' | 'professional' | 'enterprise' | 'ultimate';

/** Calls in flight per org per app, by edition (shared/vendors.md §4.3). */
export const ZOHO_CONCURRENCY_BY_EDITION: Documented<Readonly<Record<ZohoEdition, number>>> = {
  value: { free: 5, standard: 10, professional: 15, enterprise: 20, ultimate: 25 },
  source: LIMITS,
  confidence: 'secondary',
};

/** API credits per rolling 24 h per org: base + per user license, capped (shared/vendors.md §4.3). */
export const ZOHO_CREDITS_BY_EDITION: Documented<
  Readonly<Record<ZohoEdition, { base: number; perUser: number; max: number }>>
> = {
  value: {
    free: { base: 5000, perUser: 0, max: 5000 },
    standard: { base: 50_000, perUser: 250, max: 100_000 },
    professional: { base: 50_000, perUser: 500, max: 3_000_000 },
    enterprise: { base: 50_000, perUser: 1000, max: 5_000_000 },
    ultimate: { base: 50_000, perUser: 2000, max: Number.POSITIVE_INFINITY },
  },
  source: LIMITS,
  confidence: 'verified',
};

export function zohoCredits(edition: ZohoEdition, users: number): number {
  const c = ZOHO_CREDITS_BY_EDITION.value[edition];
  return Math.min(c.max, c.base + c.perUser * users);
}

/**
 * The edition and size the profile's figures assume; a buyer on another edition reads its row
 * from the tables above.
 */
export const ZOHO_ASSUMED_EDITION: ZohoEdition = 'professional';
export const ZOHO_ASSUMED_USERS = 10;

/**
 * Zoho caps parallel calls, not calls per minute, yet the storm paces by a short-window rate.
 * Little's law (calls in flight = rate x time per call) turns the cap into one: with calls taking
 * at most this long, cap / time calls per second never exceed the cap. A derived figure, not one
 * Zoho publishes; a slower org (or bigger payloads) lowers it.
 */
const ASSUMED_CALL_SECONDS = 1;

/** Facts poc relies on that VendorProfile has no slot for. */
export const ZOHO_FACTS = {
  accessTokenTtlMs: {
    value: 3_600_000,
    source: `${DOCS}/oauth-overview.html`,
    confidence: 'secondary',
  } satisfies Documented<number>,
  /** `page` reaches only the first 2,000 records; beyond that `page_token` is required. */
  pageParamRecordLimit: {
    value: 2000,
    source: `${DOCS}/get-records.html`,
    confidence: 'unverified',
  } satisfies Documented<number>,
  listPerPageMax: {
    value: 200,
    source: `${DOCS}/get-records.html`,
    confidence: 'secondary',
  } satisfies Documented<number>,
  /** The v7/v8 enable page says "a maximum of one week"; older versions said one day. */
  channelExpiryMaxMs: {
    value: 7 * 86_400_000,
    source: `${DOCS}/notifications/enable.html`,
    confidence: 'secondary',
  } satisfies Documented<number>,
  /** What Zoho applies when channel_expiry is missing or too far ahead (text truncated in our copy). */
  channelExpiryDefaultMs: {
    value: 3_600_000,
    source: `${DOCS}/notifications/enable.html`,
    confidence: 'unverified',
  } satisfies Documented<number>,
  channelTokenMaxLength: {
    value: 50,
    source: `${DOCS}/notifications/enable.html`,
    confidence: 'verified',
  } satisfies Documented<number>,
  /**
   * With return_affected_field_values, a callback carries
   * `affected_values: [{record_id, values: {<API name>: value}}]` next to `ids`; seen in a
   * production capture quoted by a public integration, not in Zoho's reference. Parsed in one
   * place: harness/vendors/zoho/events.ts (readAffectedValues).
   */
  affectedValuesShape: {
    value: 'affected_values[].{record_id, values}',
    source: 'public integration code quoting a captured Zoho notification (2026); Zoho docs silent',
    confidence: 'unverified',
  } satisfies Documented<string>,
  /**
   * Deleted records stay in the recycle bin this long, then are deleted for good; the deleted
   * records list (`GET /{module}/deleted?type=all`) names both kinds.
   */
  recycleBinRetentionMs: {
    value: 60 * 86_400_000,
    source: 'https://www.zoho.com/crm/help/miscellaneous/recycle-bin.html',
    confidence: 'verified',
  } satisfies Documented<number>,
  /**
   * `GET /{module}/deleted` takes type, page and per_page (no page_token) and If-Modified-Since
   * (the SDK's GetDeletedRecordsParam / GetDeletedRecordsHeader). Its order is not documented:
   * the mock lists the newest deletion first.
   */
  deletedListOrder: {
    value: 'deleted_time desc',
    source: `${DOCS}/get-deleted-records.html`,
    confidence: 'unverified',
  } satisfies Documented<string>,
  /**
   * Whether If-Modified-Since includes records modified in that very second is not documented;
   * the mock follows HTTP's "modified after" and the adapter asks from one second earlier.
   */
  ifModifiedSinceExclusive: {
    value: true,
    source: `${DOCS}/get-records.html`,
    confidence: 'unverified',
  } satisfies Documented<boolean>,
  /** No X-RateLimit-* headers are documented; a 429 carries code TOO_MANY_REQUESTS. */
  overLimitCode: {
    value: 'TOO_MANY_REQUESTS',
    source: LIMITS,
    confidence: 'unverified',
  } satisfies Documented<string>,
} as const;

/** Zoho CRM's documented facts (shared/vendors.md §4), each with its source and confidence. */
export const zohoProfile: VendorProfile = {
  id: 'zoho',
  name: 'Zoho CRM',
  // The US data centre; an org elsewhere gets its own api_domain in the token response.
  liveBaseUrl: 'https://www.zohoapis.com',
  credentialsEnv: {
    token: 'POC_ZOHO_ACCESS_TOKEN',
    webhookSecret: 'POC_ZOHO_CHANNEL_TOKEN',
    baseUrl: 'POC_ZOHO_BASE_URL',
  },
  batchMax: { value: 100, source: `${DOCS}/upsert-records.html`, confidence: 'secondary' },
  rateLimits: [
    {
      // Derived from the concurrency cap: see ASSUMED_CALL_SECONDS.
      value: {
        name: 'concurrency_derived_per_second',
        requests: ZOHO_CONCURRENCY_BY_EDITION.value[ZOHO_ASSUMED_EDITION] / ASSUMED_CALL_SECONDS,
        windowMs: 1000,
        scope: `org per app (${ZOHO_ASSUMED_EDITION}: ${ZOHO_CONCURRENCY_BY_EDITION.value[ZOHO_ASSUMED_EDITION]} calls in flight, at <= ${ASSUMED_CALL_SECONDS} s per call)`,
      },
      source: LIMITS,
      confidence: 'unverified',
    },
    {
      value: {
        name: 'credits_rolling_24h',
        requests: zohoCredits(ZOHO_ASSUMED_EDITION, ZOHO_ASSUMED_USERS),
        windowMs: 86_400_000,
        scope: `org (${ZOHO_ASSUMED_EDITION}, ${ZOHO_ASSUMED_USERS} users)`,
      },
      source: LIMITS,
      confidence: 'verified',
    },
  ],
  webhooks: {
    // No HMAC: the channel's `token` comes back in every notification body.
    scheme: {
      value: 'zoho-channel-token',
      source: `${DOCS}/notifications/enable.html`,
      confidence: 'verified',
    },
    // One notification names the records of one operation, and a call writes at most 100.
    batchMax: { value: 100, source: `${DOCS}/notifications/overview.html`, confidence: 'unverified' },
    concurrency: { value: 10, source: `${DOCS}/notifications/overview.html`, confidence: 'unverified' },
    retry: {
      // Zoho documents no retry policy for notifications; this schedule is our assumption.
      value: { delaysMs: [60_000, 300_000, 900_000], jitter: 0.1, timeoutMs: 10_000 },
      source: `${DOCS}/notifications/overview.html`,
      confidence: 'unverified',
    },
    // Nothing is signed: server_time travels in the body but proves nothing, so no window applies.
    timestampToleranceMs: { value: 0, source: `${DOCS}/notifications/enable.html`, confidence: 'unverified' },
    replay: { value: 'none', source: `${DOCS}/notifications/overview.html`, confidence: 'secondary' },
  },
  // What the vendor documents about seeing its deliveries and changes from its side. Data, not
  // measurement: the mock emulates none of it, and a live run can only point at the console.
  observability: {
    deliveryLog: {
      value: { what: 'no delivery log documented for notification channels', level: 0 },
      source:
        'shared/vendors.md §4.5 (https://www.zoho.com/crm/developer/docs/api/v8/notifications/overview.html)',
      confidence: 'unverified',
    },
    auditLog: {
      value: { what: 'Setup > Audit Log of user and admin actions, export in the UI', level: 2 },
      source: 'https://help.zoho.com/portal/en/kb/crm/data-administration/audit-log',
      confidence: 'unverified',
    },
  },
};
