import type { VendorProfile } from '../types.js';

/** The webhook facts come from the spec (shared/vendors.md §8), which this vendor follows to the letter. */
const SPEC = 'https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md';
const JS_LIB =
  'https://github.com/standard-webhooks/standard-webhooks/blob/main/libraries/javascript/src/index.ts';
/**
 * The API half is not a real product: it is the small, plain JSON REST CRM this profile defines
 * (documented in harness/vendors/standard/api.ts and mock-vendor/standard/). Its figures are
 * 'unverified' on purpose: a real CRM that speaks Standard Webhooks will have its own; check them.
 */
const API_DOC = 'poc generic CRM: harness/vendors/standard/api.ts';

/** Seconds to ms, so the schedule below reads like the spec's table. */
const s = (seconds: number) => seconds * 1000;

/**
 * A generic CRM that delivers webhooks per the Standard Webhooks spec v1.0.0: one message per
 * POST, `webhook-id` stable across retries (the idempotency key), `webhook-timestamp` in seconds,
 * `webhook-signature` = space-separated `v1,<base64 HMAC-SHA256>` entries (several during a
 * secret rotation), signed over `${id}.${timestamp}.${body}` with the base64 key after `whsec_`.
 */
export const standardProfile: VendorProfile = {
  id: 'standard',
  name: 'Standard Webhooks CRM',
  // No real host: point POC_STANDARD_BASE_URL at the CRM that implements this API.
  liveBaseUrl: 'https://api.crm.example',
  credentialsEnv: {
    token: 'POC_STANDARD_API_TOKEN',
    webhookSecret: 'POC_STANDARD_WEBHOOK_SECRET',
    baseUrl: 'POC_STANDARD_BASE_URL',
  },
  batchMax: { value: 100, source: `${API_DOC} (POST /v1/contacts/batch-upsert)`, confidence: 'unverified' },
  rateLimits: [
    {
      // Fixed 10 s windows per token, advertised with RateLimit-Limit/-Remaining/-Reset
      // (draft-ietf-httpapi-ratelimit-headers-06) and 429 + Retry-After past the limit.
      value: { name: 'ten_second_window', requests: 100, windowMs: 10_000, scope: 'API token' },
      source: `${API_DOC}; headers per https://datatracker.ietf.org/doc/html/draft-ietf-httpapi-ratelimit-headers-06`,
      confidence: 'unverified',
    },
  ],
  webhooks: {
    scheme: { value: 'standard-webhooks-v1', source: `${SPEC} (Signature scheme)`, confidence: 'verified' },
    // "The payload should be passed in the HTTP body": one message per request, never batched.
    batchMax: { value: 1, source: `${SPEC} (Payload structure)`, confidence: 'verified' },
    // The spec is silent on parallelism; 10 in-flight requests per endpoint is this CRM's choice.
    concurrency: { value: 10, source: API_DOC, confidence: 'unverified' },
    retry: {
      // The spec's example schedule: the first attempt is immediate, then these nine retries
      // (75 h 35 min 5 s in all). It asks for "some level of random jitter" without a figure.
      value: {
        delaysMs: [s(5), s(300), s(1800), s(7200), s(18_000), s(36_000), s(50_400), s(72_000), s(86_400)],
        jitter: 0.1,
        // "A recommended request timeout value for webhooks is somewhere between 15 and 30s".
        timeoutMs: 15_000,
      },
      source: `${SPEC} (Deliverability and reliability; Request timeouts)`,
      confidence: 'verified',
    },
    timestampToleranceMs: {
      value: 300_000,
      source: `${JS_LIB} (WEBHOOK_TOLERANCE_IN_SECONDS, both past and future)`,
      confidence: 'verified',
    },
    // The spec recommends "a way to manually replay specific webhooks" but defines no API for it.
    replay: {
      value: 'none',
      source: `${SPEC} (Visibility into failures and manual retries)`,
      confidence: 'verified',
    },
  },
  // What the vendor documents about seeing its deliveries and changes from its side. Data, not
  // measurement: the mock emulates none of it, and a live run can only point at the console.
  observability: {
    deliveryLog: {
      value: {
        what: 'the Standard Webhooks spec defines none; any log depends on the sending platform',
        level: 0,
      },
      source: 'https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md',
      confidence: 'verified',
    },
    auditLog: {
      value: { what: 'none in the spec', level: 0 },
      source: 'https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md',
      confidence: 'verified',
    },
  },
};

/** What the spec asks of a sender beyond the VendorProfile fields; the mock follows it. */
export const STANDARD_DELIVERY_RULES = {
  /** 410 Gone: "Sender should disable the webhook endpoint, and stop sending it messages." */
  goneDisablesEndpoint: {
    value: true,
    source: `${SPEC} (Delivery success and failure)`,
    confidence: 'verified',
  },
} as const;

/**
 * How the API lets a client catch up after missing webhooks. The CRM has no replay API (see
 * `webhooks.replay`), so recovery is a modified-since backfill plus the deleted list; this is
 * poc's reference design for both, documented in api.ts and served by the mock.
 */
export const STANDARD_RECOVERY_RULES = {
  /** Largest `limit` on the three list endpoints; above it is 400 `invalid_parameter`. */
  pageMax: { value: 1000, source: `${API_DOC} (GET /v1/contacts, limit)`, confidence: 'unverified' },
  /** `limit` when the client sends none. */
  pageDefault: { value: 100, source: `${API_DOC} (GET /v1/contacts, limit)`, confidence: 'unverified' },
  /**
   * `modified_since` lists contacts with `updated_at >= modified_since`, ascending by
   * `updated_at`, ties by id: a keyset order, so a cursor stays correct while writes go on (a
   * contact written during paging moves to the end and is listed again, never skipped).
   */
  modifiedSinceOrder: {
    value: 'updated_at asc, id asc',
    source: `${API_DOC} (GET /v1/contacts?modified_since=)`,
    confidence: 'unverified',
  },
  /** `updated_at`, `deleted_at` and the webhook `timestamp` share one clock, to the millisecond. */
  clockPrecisionMs: { value: 1, source: `${API_DOC} (Contact)`, confidence: 'unverified' },
  /** How long a deleted contact stays in GET /v1/contacts/deleted, counted from its deleted_at. */
  tombstoneRetentionMs: {
    value: 90 * 86_400_000,
    source: `${API_DOC} (GET /v1/contacts/deleted)`,
    confidence: 'unverified',
  },
} as const;
