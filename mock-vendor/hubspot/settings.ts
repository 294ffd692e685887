import { hubspotProfile } from '../../harness/vendors/hubspot/profile.js';
import type { HubspotSignatureVersion } from '../../harness/vendors/hubspot/signature.js';
import type { LimiterSpec } from '../rate-limiter.js';

/**
 * How the mock HubSpot behaves: this is ground truth. It starts from the documented facts and
 * a test may change any of it; scenarios never see it.
 */
export interface HubspotMockSettings {
  portalId: number;
  appId: number;
  signatureVersion: HubspotSignatureVersion;
  tenSecondlyLimit: number;
  dailyLimit: number;
  batchMax: number;
  deliveryBatchMax: number;
  concurrency: number;
  timeoutMs: number;
  retryDelaysMs: readonly number[];
  retryJitter: number;
  /** Scopes granted to the private app's token; a call outside them gets 403 MISSING_SCOPES. */
  scopes: readonly string[];
  /** CRM search has its own limit per token (4 requests/s, changelog crm-search-api-rate-limit-increase). */
  searchPerSecond: number;
  /**
   * How search orders records whose sort values are equal. HubSpot does not document it; id
   * order by default, reversed by tests to prove a client does not depend on it.
   */
  searchTies: 'id' | 'id-descending';
  /**
   * How long an archived record stays restorable and in `?archived=true`: 90 days
   * (knowledge.hubspot.com/records/restore-deleted-records; secondary, not in the API reference).
   */
  archivedRetentionMs: number;
  /** The short-window limiter; HubSpot's is a rolling ten-second window. Tests draw others. */
  rateLimit?: LimiterSpec;
  /** Make the limit headers lie (ground truth for the probe's honesty checks). */
  headerLies?: { remainingOffset?: number; limitOffset?: number; windowMs?: number };
}

export function defaultHubspotSettings(): HubspotMockSettings {
  const limits = hubspotProfile.rateLimits.map((l) => l.value);
  const webhooks = hubspotProfile.webhooks;
  return {
    portalId: 62515,
    appId: 54321,
    signatureVersion: 'v3',
    tenSecondlyLimit: limits.find((l) => l.name === 'ten_secondly_rolling')?.requests ?? 190,
    dailyLimit: limits.find((l) => l.name === 'daily')?.requests ?? 650_000,
    batchMax: hubspotProfile.batchMax.value,
    deliveryBatchMax: webhooks.batchMax.value,
    concurrency: webhooks.concurrency.value,
    timeoutMs: webhooks.retry.value.timeoutMs,
    retryDelaysMs: webhooks.retry.value.delaysMs,
    retryJitter: webhooks.retry.value.jitter,
    searchPerSecond: 4,
    archivedRetentionMs: 90 * 86_400_000,
    searchTies: 'id',
    scopes: ['contacts', 'companies', 'deals'].flatMap((o) => [
      `crm.objects.${o}.read`,
      `crm.objects.${o}.write`,
    ]),
  };
}
