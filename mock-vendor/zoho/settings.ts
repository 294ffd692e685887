import {
  ZOHO_ASSUMED_EDITION,
  ZOHO_ASSUMED_USERS,
  ZOHO_CONCURRENCY_BY_EDITION,
  ZOHO_FACTS,
  type ZohoEdition,
  zohoCredits,
  zohoProfile,
} from '../../harness/vendors/zoho/profile.js';
import type { LimiterSpec } from '../rate-limiter.js';

/**
 * How the mock Zoho CRM behaves: this is ground truth. It starts from the documented facts
 * (harness/vendors/zoho/profile.ts) and a test may change any of it; scenarios never see it.
 */
export interface ZohoMockSettings {
  edition: ZohoEdition;
  /** Calls in flight per org per app; one more is answered 429 TOO_MANY_REQUESTS. */
  concurrencyCap: number;
  /** API credits per rolling 24 h per org (one credit per call); sizes the default `rateLimit`. */
  credits: number;
  /**
   * The limiter every /crm/v8 call spends from. It stands for Zoho's API credit budget, the only
   * Zoho limit that counts calls over time (the concurrency cap counts calls in flight, not a
   * rate, and stays separate above). Unset, it is that budget as documented: `credits` per rolling
   * 24 h (zohoCreditLimit). Tests draw other styles, limits and windows to exercise
   * rate-limit-probe; the over-limit answer stays Zoho's 429 TOO_MANY_REQUESTS, with no headers.
   */
  rateLimit?: LimiterSpec;
  batchMax: number;
  listPerPageMax: number;
  pageParamRecordLimit: number;
  /** Added to every API answer, as Zoho's own processing time; lets tests fill the concurrency cap. */
  responseDelayMs: number;
  /** The refresh token the mock's accounts endpoint accepts (`<access token>.refresh` by default). */
  refreshToken: string;
  /** Scopes of the access tokens the accounts endpoint issues; the configured token has them all. */
  issuedScopes: readonly string[];
  accessTokenTtlMs: number;
  channelExpiryMaxMs: number;
  channelExpiryDefaultMs: number;
  channelTokenMaxLength: number;
  notificationIdsMax: number;
  deliveryConcurrency: number;
  timeoutMs: number;
  retryDelaysMs: readonly number[];
  retryJitter: number;
}

export const ALL_SCOPES = [
  'ZohoCRM.modules.ALL',
  'ZohoCRM.coql.READ',
  'ZohoCRM.notifications.ALL',
  'ZohoCRM.settings.ALL',
  'ZohoCRM.users.READ',
  'ZohoCRM.org.READ',
] as const;

/** Zoho's credit budget as a limiter: `credits` calls per rolling (sliding) 24 h window. */
export function zohoCreditLimit(credits: number): LimiterSpec {
  return { style: 'sliding', limit: credits, windowMs: 86_400_000 };
}

/** The documented limits of `edition` (the profile's assumed one by default) for an org of the profile's size. */
export function defaultZohoSettings(
  token: string,
  edition: ZohoEdition = ZOHO_ASSUMED_EDITION,
): ZohoMockSettings {
  const webhooks = zohoProfile.webhooks;
  return {
    edition,
    concurrencyCap: ZOHO_CONCURRENCY_BY_EDITION.value[edition],
    credits: zohoCredits(edition, ZOHO_ASSUMED_USERS),
    batchMax: zohoProfile.batchMax.value,
    listPerPageMax: ZOHO_FACTS.listPerPageMax.value,
    pageParamRecordLimit: ZOHO_FACTS.pageParamRecordLimit.value,
    responseDelayMs: 0,
    refreshToken: `${token}.refresh`,
    issuedScopes: ALL_SCOPES,
    accessTokenTtlMs: ZOHO_FACTS.accessTokenTtlMs.value,
    channelExpiryMaxMs: ZOHO_FACTS.channelExpiryMaxMs.value,
    channelExpiryDefaultMs: ZOHO_FACTS.channelExpiryDefaultMs.value,
    channelTokenMaxLength: ZOHO_FACTS.channelTokenMaxLength.value,
    notificationIdsMax: webhooks.batchMax.value,
    deliveryConcurrency: webhooks.concurrency.value,
    timeoutMs: webhooks.retry.value.timeoutMs,
    retryDelaysMs: webhooks.retry.value.delaysMs,
    retryJitter: webhooks.retry.value.jitter,
  };
}
