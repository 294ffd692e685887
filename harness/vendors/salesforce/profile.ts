import type { VendorProfile } from '../types.js';

const REST = 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest';
const OM = 'https://developer.salesforce.com/docs/atlas.en-us.api.meta/api';
const LIMITS = 'https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta';

/** The REST API version poc speaks (Spring '26). */
export const SALESFORCE_API_VERSION = '66.0';

/** Documented facts that shape the wire but do not fit VendorProfile's fields (shared/vendors.md §2). */
export const salesforceFacts = {
  auth: {
    value:
      'OAuth 2.0 at /services/oauth2/token answers {access_token, instance_url, id, token_type, issued_at, signature}; ' +
      'the access token is a session id sent as `Authorization: Bearer` to instance_url, and lives as long as the ' +
      "org's session timeout (no expires_in)",
    source: `${REST}/intro_understanding_authentication.htm`,
    confidence: 'unverified',
  },
  upsert: {
    value:
      'PATCH /services/data/v66.0/sobjects/Contact/<ExtIdField>/<value>: 201 {id, success, errors, created:true} ' +
      'when created, 200 {created:false} when updated (v46.0+; 204 before), 300 when several records match',
    source: `${REST}/dome_upsert.htm`,
    confidence: 'verified',
  },
  collectionUpsert: {
    value:
      'PATCH /composite/sobjects/Contact/<ExtIdField> with {allOrNone, records[≤200]}: 200 with one result per record',
    source: `${REST}/resources_composite_sobjects_collections_upsert.htm`,
    confidence: 'verified',
  },
  query: {
    value: 'GET /query?q=SOQL -> {totalSize, done, nextRecordsUrl, records}; ≤2,000 records per batch',
    source: `${REST}/resources_query.htm`,
    confidence: 'verified',
  },
  limitHeader: {
    value: 'Sforce-Limit-Info: api-usage=<used>/<allocation> on every REST response',
    source: `${REST}/headers_api_usage.htm`,
    confidence: 'verified',
  },
  overLimit: {
    value:
      'HTTP 403 [{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}] past the org ' +
      'allocation (not 429); errors are always a JSON array [{message, errorCode, fields?}]',
    source: `${REST}/errorcodes.htm`,
    confidence: 'verified',
  },
  concurrentLongRequests: {
    value: '25 concurrent requests running ≥20 s per org (5 on Developer Edition and trials)',
    source: `${LIMITS}/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm`,
    confidence: 'verified',
  },
  outboundMessages: {
    value:
      'SOAP notifications() POST with ≤100 Notification elements; no signature (OrganizationId in the body is the ' +
      'only identity); the receiver must answer <Ack>true</Ack>; retried with exponentially growing intervals up ' +
      'to 2 h apart, dropped after 24 h; 60 s timeout; at-least-once and out of order (dedupe on Notification Id); ' +
      'the sObject carries the data as it is when sent, not when the change happened',
    source: `${OM}/sforce_api_om_outboundmessaging_understanding.htm`,
    confidence: 'verified',
  },
  outboundMessageSetup: {
    // poc's configureWebhooks posts a Tooling-style WorkflowOutboundMessage that only the mock
    // implements; on a live org the Outbound Message and the flow or workflow rule that sends it are
    // made in Setup (or deployed with the Metadata API) before the run.
    value:
      'configured in Setup or with the Metadata API (WorkflowOutboundMessage + the rule or flow that sends it)',
    source: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_workflow.htm',
    confidence: 'secondary',
  },
  changeDataCapture: {
    value:
      'ContactChangeEvent on /data/ContactChangeEvent (CometD) or the Pub/Sub API, replayId, 72 h retention',
    source:
      'https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_intro.htm',
    confidence: 'verified',
  },
} as const;

/**
 * Retry intervals that grow exponentially up to `capMs` apart and stop once the total would pass
 * `totalMs`. Salesforce documents the shape (exponential, ≤2 h apart, dropped after 24 h), not
 * the first interval: the 15 s start is a guess.
 */
export function outboundRetrySchedule(firstMs = 15_000, capMs = 7_200_000, totalMs = 86_400_000): number[] {
  const delays: number[] = [];
  let total = 0;
  for (let next = firstMs; total + Math.min(next, capMs) <= totalMs; next *= 2) {
    const delay = Math.min(next, capMs);
    delays.push(delay);
    total += delay;
  }
  return delays;
}

/** Salesforce's documented facts (shared/vendors.md §2), each with its source and confidence. */
export const salesforceProfile: VendorProfile = {
  id: 'salesforce',
  name: 'Salesforce',
  // The API lives on the org's own My Domain host (the token endpoint's instance_url), so there is
  // no one base URL: set POC_SALESFORCE_INSTANCE_URL. This placeholder makes the need visible.
  liveBaseUrl: 'https://MyDomainName.my.salesforce.com',
  credentialsEnv: {
    token: 'POC_SALESFORCE_ACCESS_TOKEN',
    // Outbound Messages carry no secret: this slot holds the org id (00D…) the receiver expects.
    webhookSecret: 'POC_SALESFORCE_ORG_ID',
    baseUrl: 'POC_SALESFORCE_INSTANCE_URL',
  },
  batchMax: {
    value: 200,
    source: `${REST}/resources_composite_sobjects_collections_upsert.htm`,
    confidence: 'verified',
  },
  mergesRecords: {
    value: true,
    source: 'https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_merge.htm',
    confidence: 'verified',
  },
  rateLimits: [
    {
      // Enterprise Edition base allocation; each licence adds more (1,000 per Salesforce licence [S]).
      value: {
        name: 'total_requests_rolling_24h',
        requests: 100_000,
        windowMs: 86_400_000,
        scope: 'org (Enterprise Edition base, rolling 24 h)',
      },
      source: `${LIMITS}/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm`,
      confidence: 'secondary',
    },
    {
      // Salesforce documents NO short-window limit: only the rolling 24 h allocation and the cap on
      // concurrent long-running requests. A storm still needs a per-minute budget, so this one is
      // derived: the 24 h allocation spent evenly (100,000 / 1,440 minutes). Spending faster is
      // allowed by the vendor but would starve the org's other integrations later in the day.
      value: {
        name: 'derived_even_spend_per_minute',
        requests: 69,
        windowMs: 60_000,
        scope: 'org (derived from the 24 h allocation; not a vendor limit)',
      },
      source: `${LIMITS}/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm (derived)`,
      confidence: 'unverified',
    },
  ],
  webhooks: {
    scheme: {
      value: 'salesforce-outbound-message (no signature; OrganizationId check)',
      source: `${OM}/sforce_api_om_outboundmessaging_notifications.htm`,
      confidence: 'verified',
    },
    batchMax: {
      value: 100,
      source: `${OM}/sforce_api_om_outboundmessaging_notifications.htm`,
      confidence: 'verified',
    },
    // Salesforce does not say how many messages it sends at once to one endpoint.
    concurrency: {
      value: 10,
      source: `${OM}/sforce_api_om_outboundmessaging_understanding.htm`,
      confidence: 'unverified',
    },
    retry: {
      value: { delaysMs: outboundRetrySchedule(), jitter: 0.1, timeoutMs: 60_000 },
      source: 'https://help.salesforce.com/s/articleView?id=sf.workflow_om_considerations.htm',
      confidence: 'secondary',
    },
    // Outbound Messages carry no timestamp at all, so there is nothing to hold a tolerance against.
    timestampToleranceMs: {
      value: 0,
      source: `${OM}/sforce_api_om_outboundmessaging_wsdl.htm`,
      confidence: 'verified',
    },
    // Outbound Messages cannot be replayed; Change Data Capture keeps 72 h behind a replayId.
    replay: {
      value: 'replay-id',
      source:
        'https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-message-durability.html',
      confidence: 'verified',
    },
  },
  // What the vendor documents about seeing its deliveries and changes from its side. Data, not
  // measurement: the mock emulates none of it, and a live run can only point at the console.
  observability: {
    deliveryLog: {
      value: {
        what: 'Setup > Outbound Messages > View Message Delivery Status: queued and failing messages, retry or delete; UI only',
        level: 2,
      },
      source:
        'https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_setting_up.htm',
      confidence: 'secondary',
    },
    auditLog: {
      value: {
        what: 'Setup Audit Trail (180 days, SetupAuditTrail object over SOQL); API activity in Event Monitoring (paid add-on)',
        level: 3,
      },
      source: 'https://help.salesforce.com/s/articleView?id=sf.admin_monitorsetup.htm',
      confidence: 'secondary',
    },
  },
};
