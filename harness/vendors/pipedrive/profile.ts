import type { Documented, RateLimitFact, VendorProfile } from '../types.js';

const DOCS = 'https://pipedrive.readme.io/docs';
const RATE_LIMITS = `${DOCS}/core-api-concepts-rate-limiting`;

/** A Professional company with one seat: 30,000 base tokens x 3 [secondary]. */
export const PIPEDRIVE_DAILY_TOKENS = 90_000;
/** Token cost of a v1 search call [secondary]; v2 endpoints cost less (how much: unverified). */
export const PIPEDRIVE_SEARCH_TOKEN_COST = 40;

/**
 * Per-plan burst limits for api_token requests, rolling 2 s window per token (OAuth tokens get
 * 4x), as the rate-limiting page tabled them for the request-based model; the token-based model
 * keeps a per-token 2 s burst window, so these are secondary until seen on a live account.
 */
const PLAN_BURSTS: readonly [plan: string, requests: number][] = [
  ['Essential', 20],
  ['Advanced', 40],
  ['Professional', 80],
  ['Power', 100],
  ['Enterprise', 120],
];

function burst(plan: string, requests: number): Documented<RateLimitFact> {
  return {
    value: { name: `burst_${plan.toLowerCase()}`, requests, windowMs: 2000, scope: `api_token (${plan})` },
    source: RATE_LIMITS,
    confidence: 'secondary',
  };
}

/**
 * Pipedrive's documented facts (shared/vendors.md §3), each with its source and confidence.
 *
 * Auth: an API token (`x-api-token` header, as the official SDK sends it, or the `api_token`
 * query parameter) or an OAuth2 access token (`Authorization: Bearer`). Persons live under
 * /api/v2/persons with cursor pagination (`cursor`, `limit` <= 500, `additional_data.next_cursor`).
 * Limits: a rolling 2 s burst window per token (headers x-ratelimit-limit / -remaining / -reset,
 * 429 when over) and, since the token-based model (2024-12), a daily token budget per company
 * (x-daily-ratelimit-token-remaining). Webhooks v2: one event per POST, optional HTTP Basic
 * credentials, no signature, no replay.
 */
export const pipedriveProfile: VendorProfile = {
  id: 'pipedrive',
  name: 'Pipedrive',
  liveBaseUrl: 'https://api.pipedrive.com',
  credentialsEnv: {
    token: 'POC_PIPEDRIVE_API_TOKEN',
    webhookSecret: 'POC_PIPEDRIVE_WEBHOOK_PASSWORD',
    baseUrl: 'POC_PIPEDRIVE_BASE_URL',
  },
  // No batch create/update/upsert endpoint for persons: every upsert is a search by email then a
  // PATCH or POST, so one record per call and two calls per record.
  batchMax: {
    value: 1,
    source: 'https://developers.pipedrive.com/docs/api/v1/Persons (no batch endpoint)',
    confidence: 'secondary',
  },
  // No upsert endpoint: the adapter searches by email, then creates or updates (harness api.ts).
  callsPerUpsert: {
    value: 2,
    source: 'https://developers.pipedrive.com/docs/api/v1/Persons (search, then POST or PATCH)',
    confidence: 'secondary',
  },
  mergesRecords: {
    value: true,
    source: 'https://developers.pipedrive.com/docs/api/v1/Persons#mergePersons',
    confidence: 'verified',
  },
  rateLimits: [
    // Listed first on purpose: scenarios pace on the first short-window limit, and every upsert
    // (batchMax 1) costs one search, so the search limit is the one an upsert storm meets first.
    {
      value: {
        name: 'burst_search',
        requests: 10,
        windowMs: 2000,
        scope: 'token, search endpoints, every plan',
      },
      source: RATE_LIMITS,
      confidence: 'secondary',
    },
    ...PLAN_BURSTS.map(([plan, requests]) => burst(plan, requests)),
    {
      // The budget is in tokens (30,000 x plan multiplier 1..7 x seats; Professional is x3), and
      // each call costs tokens by endpoint. poc budgets in requests, so the fact is stated as the
      // requests the budget buys at the costliest call poc makes (a search, 40 tokens in v1).
      value: {
        name: 'daily_token_budget_in_searches',
        requests: PIPEDRIVE_DAILY_TOKENS / PIPEDRIVE_SEARCH_TOKEN_COST,
        windowMs: 86_400_000,
        scope: `company (Professional, 1 seat): ${PIPEDRIVE_DAILY_TOKENS} tokens / ${PIPEDRIVE_SEARCH_TOKEN_COST} per search`,
      },
      source:
        'https://support.pipedrive.com/en/article/usage-limits-in-pipedrive (tokens); https://rate-limits.apis.io/rate-limits/pipedrive/pipedrive-rate-limits/ (costs)',
      confidence: 'secondary',
    },
  ],
  webhooks: {
    scheme: {
      value: 'http-basic',
      source: `${DOCS}/guide-for-webhooks-v2 (http_auth_user / http_auth_password; no signature)`,
      confidence: 'secondary',
    },
    batchMax: { value: 1, source: `${DOCS}/guide-for-webhooks-v2`, confidence: 'verified' },
    // Not documented; one webhook's events are sent with a few requests in flight.
    concurrency: { value: 10, source: `${DOCS}/guide-for-webhooks-v2`, confidence: 'unverified' },
    retry: {
      // Commonly cited, found in no Pipedrive source: 10 s timeout, 3 retries after 3 s, 30 s
      // and 150 s, then the webhook is banned for 30 min after repeated failures.
      value: { delaysMs: [3000, 30_000, 150_000], jitter: 0, timeoutMs: 10_000 },
      source: `${DOCS}/guide-for-webhooks-v2 (schedule not stated there)`,
      confidence: 'unverified',
    },
    // Webhooks v2 carry no signature and no signed timestamp: nothing to hold a tolerance against.
    timestampToleranceMs: { value: 0, source: `${DOCS}/guide-for-webhooks-v2`, confidence: 'secondary' },
    replay: { value: 'none', source: `${DOCS}/webhooks-v2-migration-guide`, confidence: 'secondary' },
  },
  // What the vendor documents about seeing its deliveries and changes from its side. Data, not
  // measurement: the mock emulates none of it, and a live run can only point at the console.
  observability: {
    deliveryLog: {
      value: { what: 'no delivery log documented; the payload carries a retry counter only', level: 0 },
      source: 'shared/vendors.md §3.5 (https://pipedrive.readme.io/docs/guide-for-webhooks-v2)',
      confidence: 'unverified',
    },
    auditLog: {
      value: { what: 'security and activity logs on higher plans, in the UI', level: 1 },
      source: 'https://support.pipedrive.com/en/article/security-dashboard',
      confidence: 'unverified',
    },
  },
};

/** The plan bursts by name, for the mock's ground truth. */
export const PIPEDRIVE_PLAN_BURSTS: Readonly<Record<string, number>> = Object.fromEntries(
  PLAN_BURSTS.map(([plan, requests]) => [plan.toLowerCase(), requests]),
);
