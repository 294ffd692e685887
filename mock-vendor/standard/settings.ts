import {
  STANDARD_DELIVERY_RULES,
  STANDARD_RECOVERY_RULES,
  standardProfile,
} from '../../harness/vendors/standard/profile.js';
import type { LimiterSpec } from '../rate-limiter.js';

/**
 * How the mock Standard Webhooks CRM behaves: this is ground truth. It starts from the
 * documented facts (harness/vendors/standard/profile.ts) and a test may change any of it;
 * scenarios never see it.
 */
export interface StandardMockSettings {
  /** The per-token limiter: fixed 10 s windows, as documented; tests may draw other styles. */
  rateLimit: LimiterSpec;
  batchMax: number;
  /** In-flight deliveries per endpoint. */
  concurrency: number;
  timeoutMs: number;
  retryDelaysMs: readonly number[];
  retryJitter: number;
  /** Whether a 410 Gone answer disables the endpoint (the spec says it should). */
  disableOnGone: boolean;
  /** How long a rotated-out key keeps signing next to the new one (real time, not scaled). */
  rotationOverlapMs: number;
  /** Largest and default `limit` of the contact lists. */
  pageMax: number;
  pageDefault: number;
  /** How long GET /v1/contacts/deleted keeps listing a deleted contact, judged against Date.now(). */
  tombstoneRetentionMs: number;
}

export function defaultStandardSettings(): StandardMockSettings {
  const limit = standardProfile.rateLimits[0]?.value;
  const retry = standardProfile.webhooks.retry.value;
  return {
    rateLimit: { style: 'fixed', limit: limit?.requests ?? 100, windowMs: limit?.windowMs ?? 10_000 },
    batchMax: standardProfile.batchMax.value,
    concurrency: standardProfile.webhooks.concurrency.value,
    timeoutMs: retry.timeoutMs,
    retryDelaysMs: retry.delaysMs,
    retryJitter: retry.jitter,
    disableOnGone: STANDARD_DELIVERY_RULES.goneDisablesEndpoint.value,
    // The spec asks for "a set period of time" without a figure; 24 h is this CRM's choice.
    rotationOverlapMs: 86_400_000,
    pageMax: STANDARD_RECOVERY_RULES.pageMax.value,
    pageDefault: STANDARD_RECOVERY_RULES.pageDefault.value,
    tombstoneRetentionMs: STANDARD_RECOVERY_RULES.tombstoneRetentionMs.value,
  };
}
