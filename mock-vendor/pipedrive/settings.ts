import {
  PIPEDRIVE_DAILY_TOKENS,
  PIPEDRIVE_PLAN_BURSTS,
  PIPEDRIVE_SEARCH_TOKEN_COST,
  pipedriveProfile,
} from '../../harness/vendors/pipedrive/profile.js';
import type { LimiterSpec } from '../rate-limiter.js';

/** Token cost of one call by kind; v2 endpoints cost less than their v1 twins. */
export interface TokenCosts {
  get: number;
  list: number;
  write: number;
  delete: number;
  search: number;
}

/**
 * How the mock Pipedrive behaves: this is ground truth. It starts from the documented facts
 * (a Professional company with one seat, api_token limits) and a test may change any of it;
 * scenarios never see it.
 */
export interface PipedriveMockSettings {
  companyId: number;
  userId: number;
  /** The company's subdomain, shown as meta.host in webhooks. */
  companyDomain: string;
  /** Requests per rolling window per api_token (the plan's burst limit). */
  burstLimit: number;
  /** Requests per rolling window per OAuth access token (4x the api_token limit). */
  oauthBurstLimit: number;
  /** Search endpoints: 10 per window per token on every plan. */
  searchBurstLimit: number;
  windowMs: number;
  /**
   * The api_token burst limiter; Pipedrive's is a rolling window of `burstLimit` per `windowMs`.
   * Tests draw other styles and sizes (it is the limiter rate-limit-probe meets).
   */
  rateLimit?: LimiterSpec;
  /** The OAuth access token's burst limiter; a rolling window of `oauthBurstLimit` unless set. */
  oauthRateLimit?: LimiterSpec;
  /**
   * Overrides of the user's aggregated permissions (GET /v1/users/{id}/permissions); every
   * permission is granted unless set false here. `can_add_custom_fields: false` makes
   * POST /v1/personFields answer 403.
   */
  userPermissions?: Readonly<Record<string, boolean>>;
  dailyTokenBudget: number;
  /** rate-limits.apis.io (secondary): single GET 2, list 20, write 10, search 40; delete unverified. */
  v1Costs: TokenCosts;
  /** "v2 endpoints are cheaper" (verified); half the v1 cost is an assumption (unverified). */
  v2Costs: TokenCosts;
  listMaxLimit: number;
  webhooksMaxPerUser: number;
  deliveryConcurrency: number;
  timeoutMs: number;
  retryDelaysMs: readonly number[];
  retryJitter: number;
}

const V1_COSTS: TokenCosts = { get: 2, list: 20, write: 10, delete: 6, search: PIPEDRIVE_SEARCH_TOKEN_COST };

export function defaultPipedriveSettings(): PipedriveMockSettings {
  const limits = pipedriveProfile.rateLimits.map((l) => l.value);
  const retry = pipedriveProfile.webhooks.retry.value;
  const burst = PIPEDRIVE_PLAN_BURSTS.professional ?? 80;
  return {
    companyId: 13_245_678,
    userId: 9_876_543,
    companyDomain: 'poc-sandbox',
    burstLimit: burst,
    oauthBurstLimit: burst * 4,
    searchBurstLimit: limits.find((l) => l.name === 'burst_search')?.requests ?? 10,
    windowMs: 2000,
    dailyTokenBudget: PIPEDRIVE_DAILY_TOKENS,
    v1Costs: V1_COSTS,
    v2Costs: {
      get: V1_COSTS.get / 2,
      list: V1_COSTS.list / 2,
      write: V1_COSTS.write / 2,
      delete: V1_COSTS.delete / 2,
      search: V1_COSTS.search / 2,
    },
    listMaxLimit: 500,
    webhooksMaxPerUser: 40,
    deliveryConcurrency: pipedriveProfile.webhooks.concurrency.value,
    timeoutMs: retry.timeoutMs,
    retryDelaysMs: retry.delaysMs,
    retryJitter: retry.jitter,
  };
}
