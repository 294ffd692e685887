import type { Documented, VendorProfile } from '../types.js';

const LEARN = 'https://learn.microsoft.com/en-us/power-apps/developer/data-platform';
const API_LIMITS = `${LEARN}/api-limits`;

/** The Web API version poc speaks; every path is under /api/data/v9.2/. */
export const DATAVERSE_API_PATH = '/api/data/v9.2';

/**
 * Service protection limits (shared/vendors.md §5.3): per user, per web server, over a 5-minute
 * sliding window. Only the request count fits VendorProfile.rateLimits; the other two are kept
 * here with their own units so nothing pretends execution time is a request count.
 */
export const SERVICE_PROTECTION = {
  windowMs: { value: 300_000, source: API_LIMITS, confidence: 'verified' },
  requests: { value: 6000, source: API_LIMITS, confidence: 'secondary' },
  executionTimeMs: { value: 1_200_000, source: API_LIMITS, confidence: 'secondary' },
  concurrentRequests: { value: 52, source: API_LIMITS, confidence: 'secondary' },
} as const satisfies Record<string, Documented<number>>;

/** The OData error codes of the three service protection limits (the last one unverified). */
export const SERVICE_PROTECTION_CODES = {
  requests: '0x80072322',
  executionTime: '0x80072321',
  concurrency: '0x80072326',
} as const;

/**
 * How long a change-tracking delta token stays usable: the organization's
 * ExpireChangeTrackingInDays, 30 days by default (Learn's change-tracking page since its
 * 12/2022 revision; it said 90 before). Read through a mirror of the docs commit, so secondary.
 */
export const CHANGE_TRACKING_RETENTION: Documented<number> = {
  value: 30 * 86_400_000,
  source: `${LEARN}/use-change-tracking-synchronize-data-external-systems`,
  confidence: 'secondary',
};

/**
 * An expired delta token: ExpiredVersionStamp, -2147204270. The code and message are what
 * RetrieveEntityChanges callers see (public client code quoting the fault); that the Web API
 * answers a delta link with them as a 400 OData error is unverified.
 */
export const EXPIRED_VERSION_STAMP = {
  code: '0x80044352',
  message: 'Version stamp associated with the client has expired. Please perform a full sync.',
} as const;

/** The largest page Dataverse returns (odata.maxpagesize above it is capped; unverified). */
export const MAX_PAGE_SIZE: Documented<number> = {
  value: 5000,
  source: `${LEARN}/webapi/query/page-results`,
  confidence: 'unverified',
};

/**
 * Microsoft Dynamics 365 / Dataverse Web API facts (shared/vendors.md §5), each with its
 * source and confidence. Auth: a Microsoft Entra ID bearer token from the client-credentials
 * flow with scope `https://<org>.crm.dynamics.com/.default`; security roles, not OAuth scopes,
 * govern what the application user may touch.
 */
export const dynamicsProfile: VendorProfile = {
  id: 'dynamics',
  name: 'Microsoft Dynamics 365 (Dataverse)',
  // Every environment has its own host: POC_DYNAMICS_BASE_URL must name it for a live run, and
  // POC_DYNAMICS_ACCESS_TOKEN must hold a current Entra token for it (poc does not run the
  // client-credentials flow itself; e.g. `az account get-access-token --resource <base url>`).
  liveBaseUrl: 'https://org.crm.dynamics.com',
  credentialsEnv: {
    token: 'POC_DYNAMICS_ACCESS_TOKEN',
    webhookSecret: 'POC_DYNAMICS_WEBHOOK_KEY',
    baseUrl: 'POC_DYNAMICS_BASE_URL',
  },
  // One PATCH upserts one record. $batch and UpsertMultiple take up to 1,000 but poc's adapter
  // does not use them (yet), so it claims only what it does.
  batchMax: {
    value: 1,
    source: `${LEARN}/webapi/update-delete-entities-using-web-api#upsert-a-table-row`,
    confidence: 'verified',
  },
  rateLimits: [
    {
      value: {
        name: 'service_protection_requests',
        requests: SERVICE_PROTECTION.requests.value,
        windowMs: SERVICE_PROTECTION.windowMs.value,
        scope: 'user per web server',
      },
      source: API_LIMITS,
      confidence: 'secondary',
    },
  ],
  webhooks: {
    // A static key (HttpHeader, WebhookKey ?code= or HttpQueryString) and no signature at all.
    scheme: { value: 'static-key', source: `${LEARN}/register-web-hook`, confidence: 'verified' },
    // One serialized RemoteExecutionContext per POST.
    batchMax: { value: 1, source: `${LEARN}/use-webhooks`, confidence: 'verified' },
    // How many async system jobs post in parallel is not documented.
    concurrency: { value: 8, source: `${LEARN}/asynchronous-service`, confidence: 'unverified' },
    retry: {
      // Async steps run as system jobs that the asynchronous service retries; neither the count
      // nor the backoff is published. This schedule (5 retries, doubling from 1 min) is a guess.
      value: { delaysMs: [60, 120, 240, 480, 960].map((s) => s * 1000), jitter: 0.1, timeoutMs: 60_000 },
      source: `${LEARN}/asynchronous-service`,
      confidence: 'unverified',
    },
    // No timestamp is sent, so there is nothing to hold a tolerance against.
    timestampToleranceMs: { value: 0, source: `${LEARN}/use-webhooks`, confidence: 'verified' },
    replay: {
      value: 'delta-link',
      source: `${LEARN}/use-change-tracking-synchronize-data-external-systems`,
      confidence: 'verified',
    },
  },
  // What the vendor documents about seeing its deliveries and changes from its side. Data, not
  // measurement: the mock emulates none of it, and a live run can only point at the console.
  observability: {
    deliveryLog: {
      value: {
        what: 'asynchronous webhook steps run as System Jobs (asyncoperations) with status and error, readable over the Web API',
        level: 2,
      },
      source: 'https://learn.microsoft.com/power-apps/developer/data-platform/use-webhooks',
      confidence: 'secondary',
    },
    auditLog: {
      value: {
        what: 'Dataverse auditing: the audits entity set over the Web API, retention set per environment',
        level: 3,
      },
      source: 'https://learn.microsoft.com/power-apps/developer/data-platform/auditing/overview',
      confidence: 'secondary',
    },
  },
};
