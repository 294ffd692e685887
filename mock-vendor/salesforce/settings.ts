import { SALESFORCE_API_VERSION, salesforceProfile } from '../../harness/vendors/salesforce/profile.js';
import type { LimiterSpec } from '../rate-limiter.js';

/**
 * How the mock Salesforce org behaves: this is ground truth. It starts from the documented facts
 * (harness/vendors/salesforce/profile.ts) and a test may change any of it; scenarios never see it.
 */
export interface SalesforceMockSettings {
  /** The 18-character org id every Outbound Message carries; the webhook secret when empty. */
  organizationId: string;
  /** OAuth client id of the connected app the token endpoint accepts (its secret is the mock token). */
  clientId: string;
  /** The user the password grant accepts (its password is the mock token). */
  username: string;
  /** API versions served, oldest first; the newest is the one poc speaks. */
  apiVersions: readonly string[];
  /** Requests allowed per rolling 24 h (Sforce-Limit-Info's denominator). */
  apiAllocation: number;
  /**
   * Replaces the rolling 24 h allocation with any limiter (rate-limit-probe tests shrink it to a
   * window of a second); Sforce-Limit-Info and the 403 follow it. Absent: `apiAllocation` per 24 h.
   */
  rateLimit?: LimiterSpec;
  /**
   * The integration user's object permissions on Contact (profile or permission sets). Describe
   * reports them and API writes are refused without them; the org's own changes are not.
   */
  contactPermissions: { create: boolean; edit: boolean };
  /** Idle time after which an issued access token stops working (org session timeout). */
  sessionTimeoutMs: number;
  /** Records per collection call. */
  batchMax: number;
  /** Default and bounds of a query batch (Sforce-Query-Options: batchSize=N). */
  queryBatchSize: number;
  queryBatchMin: number;
  /** Notifications per SOAP message. */
  deliveryBatchMax: number;
  concurrency: number;
  timeoutMs: number;
  retryDelaysMs: readonly number[];
  retryJitter: number;
  /** How long change events stay replayable (72 h), and a memory bound the mock adds. */
  cdcRetentionMs: number;
  cdcMaxEvents: number;
  /** How long a CometD /meta/connect long-poll is held before it answers empty. */
  cometdTimeoutMs: number;
  /** Send the record as it is when the message goes out, as Salesforce does (false: as it was). */
  sendLatestData: boolean;
}

function versionsUpTo(latest: string): string[] {
  const out: string[] = [];
  for (let v = 31; v <= Number(latest); v++) out.push(`${v}.0`);
  return out;
}

export function defaultSalesforceSettings(): SalesforceMockSettings {
  const daily = salesforceProfile.rateLimits.find((l) => l.value.windowMs === 86_400_000);
  const webhooks = salesforceProfile.webhooks;
  return {
    organizationId: '',
    clientId: 'poc-connected-app',
    username: 'poc@example.com',
    apiVersions: versionsUpTo(SALESFORCE_API_VERSION),
    apiAllocation: daily?.value.requests ?? 100_000,
    // Salesforce's default session timeout is 2 h [unverified].
    sessionTimeoutMs: 7_200_000,
    contactPermissions: { create: true, edit: true },
    batchMax: salesforceProfile.batchMax.value,
    queryBatchSize: 2000,
    queryBatchMin: 200,
    deliveryBatchMax: webhooks.batchMax.value,
    concurrency: webhooks.concurrency.value,
    timeoutMs: webhooks.retry.value.timeoutMs,
    retryDelaysMs: webhooks.retry.value.delaysMs,
    retryJitter: webhooks.retry.value.jitter,
    sendLatestData: true,
    cdcRetentionMs: 72 * 3_600_000,
    cdcMaxEvents: 200_000,
    // Salesforce advises a 110 s long-poll timeout in its handshake [unverified].
    cometdTimeoutMs: 110_000,
  };
}
