import {
  CHANGE_TRACKING_RETENTION,
  dynamicsProfile,
  MAX_PAGE_SIZE,
  SERVICE_PROTECTION,
} from '../../harness/vendors/dynamics/profile.js';
import type { LimiterSpec } from '../rate-limiter.js';
import { allMockPrivileges } from './privileges.js';

/**
 * How the mock Dataverse environment behaves: this is ground truth. It starts from the
 * documented facts and a test may change any of it; scenarios never see it.
 */
export interface DynamicsMockSettings {
  organizationName: string;
  organizationId: string;
  tenantId: string;
  /** Service protection, per user over the sliding window. */
  requestsLimit: number;
  executionTimeLimitMs: number;
  concurrentLimit: number;
  windowMs: number;
  /**
   * The request-count limiter in any style (rate-limit-probe draws random ones); absent, it is
   * Dataverse's documented sliding window of `requestsLimit` per `windowMs`.
   */
  rateLimit?: LimiterSpec;
  /** What the application user's security roles grant (`prvReadContact`...); default all. */
  privileges: readonly string[];
  /** Dataverse's default and largest page (an odata.maxpagesize above it is ignored). */
  maxPageSize: number;
  /** ExpireChangeTrackingInDays, in ms: how long a delta token stays usable. */
  changeTrackingRetentionMs: number;
  /** Lifetime of tokens issued by the mock's Entra token endpoint. */
  tokenLifetimeS: number;
  deliveryConcurrency: number;
  timeoutMs: number;
  retryDelaysMs: readonly number[];
  retryJitter: number;
}

export function defaultDynamicsSettings(): DynamicsMockSettings {
  const webhooks = dynamicsProfile.webhooks;
  return {
    organizationName: 'pocmock',
    organizationId: '5c4a2d0e-3b1f-4e8a-9d7c-6f2b1a0e9c84',
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    requestsLimit: SERVICE_PROTECTION.requests.value,
    executionTimeLimitMs: SERVICE_PROTECTION.executionTimeMs.value,
    concurrentLimit: SERVICE_PROTECTION.concurrentRequests.value,
    windowMs: SERVICE_PROTECTION.windowMs.value,
    privileges: allMockPrivileges(),
    maxPageSize: MAX_PAGE_SIZE.value,
    changeTrackingRetentionMs: CHANGE_TRACKING_RETENTION.value,
    tokenLifetimeS: 3599,
    deliveryConcurrency: webhooks.concurrency.value,
    timeoutMs: webhooks.retry.value.timeoutMs,
    retryDelaysMs: webhooks.retry.value.delaysMs,
    retryJitter: webhooks.retry.value.jitter,
  };
}
