import { connectionOptions, createHttpClient, createRawClient } from '../../pipeline/outbound/http-client.js';
import { retryAfterMs } from '../../pipeline/outbound/retry.js';
import { traceWrites } from '../../telemetry/trace-spans.js';
import type {
  AccessCheck,
  ApiConnection,
  BatchUpsertResult,
  CrmApi,
  ProbeResult,
  RecordInput,
  SubscriptionRequest,
} from '../types.js';
import { numberHeader } from '../wire.js';
import { HUBSPOT_ID_PROPERTY, subscriptionPrefix } from './fields.js';
import { hubspotRecords } from './records.js';

interface BatchResponse {
  results?: { new?: boolean }[];
  errors?: unknown[];
  numErrors?: number;
}

/** HubSpot's limit headers (shared/vendors.md §1.3); it sends no reset time, only the interval. */
const LIMIT_HEADERS = {
  limit: 'x-hubspot-ratelimit-max',
  remaining: 'x-hubspot-ratelimit-remaining',
  windowMs: 'x-hubspot-ratelimit-interval-milliseconds',
  dailyLimit: 'x-hubspot-ratelimit-daily',
  dailyRemaining: 'x-hubspot-ratelimit-daily-remaining',
} as const;

/** What webhook-storm and the other scenarios need from a private app's token. */
const REQUIRED_SCOPES = ['crm.objects.contacts.read', 'crm.objects.contacts.write'];

/** HubSpot CRM v3 over plain fetch; the same calls reach the live API and the mock. */
export function hubspotApi(connection: ApiConnection): CrmApi {
  const clientOptions = {
    baseUrl: connection.baseUrl,
    headers: { authorization: `Bearer ${connection.token}` },
    ...connectionOptions(connection),
  };
  const request = createHttpClient(clientOptions);
  const once = createRawClient(clientOptions);
  const appId = connection.settings?.appId ?? '1';

  return traceWrites('hubspot', {
    ...hubspotRecords(request),

    async batchUpsert(objectType, inputs: readonly RecordInput[]): Promise<BatchUpsertResult> {
      const res = await request(
        `${objectType}.batch_upsert`,
        'POST',
        `/crm/v3/objects/${objectType}/batch/upsert`,
        {
          inputs: inputs.map((i) => ({
            id: i.externalId,
            idProperty: HUBSPOT_ID_PROPERTY,
            properties: i.fields,
          })),
        },
      );
      const body = (res.body ?? {}) as BatchResponse;
      const results = body.results ?? [];
      const created = results.filter((r) => r.new === true).length;
      return {
        created,
        updated: results.length - created,
        errors: body.numErrors ?? body.errors?.length ?? 0,
      };
    },

    async configureWebhooks(targetUrl: string, subscription: SubscriptionRequest): Promise<void> {
      await request('webhooks.settings', 'PUT', `/webhooks/v3/${appId}/settings`, {
        targetUrl,
        throttling: { maxConcurrentRequests: 10, period: 'SECONDLY' },
      });
      const prefix = subscriptionPrefix(subscription.objectType);
      const wanted: { eventType: string; propertyName?: string }[] = [];
      if (subscription.actions.includes('create')) wanted.push({ eventType: `${prefix}.creation` });
      // A merge removes records too (both ids give way to a new record), and HubSpot tells of it
      // only through .merge, not .deletion: a local copy that wants deletes needs both.
      if (subscription.actions.includes('delete')) {
        wanted.push({ eventType: `${prefix}.deletion` }, { eventType: `${prefix}.merge` });
      }
      // HubSpot subscribes to property changes one property at a time.
      if (subscription.actions.includes('update')) {
        for (const field of subscription.fields)
          wanted.push({ eventType: `${prefix}.propertyChange`, propertyName: field });
      }
      for (const s of wanted) {
        await request('webhooks.subscribe', 'POST', `/webhooks/v3/${appId}/subscriptions`, {
          ...s,
          active: true,
        });
      }
    },

    async checkAccess(): Promise<AccessCheck[]> {
      const checks: AccessCheck[] = [];
      try {
        const info = (await request('token.info', 'POST', '/oauth/v2/private-apps/get/access-token-info', {
          tokenKey: connection.token,
        })) as { body: { hubId?: number; scopes?: string[] } };
        const scopes = info.body.scopes ?? [];
        checks.push({ name: 'token', ok: true, detail: `valid for portal ${info.body.hubId ?? '?'}` });
        const missing = REQUIRED_SCOPES.filter((s) => !scopes.includes(s));
        checks.push({
          name: 'scopes',
          ok: missing.length === 0,
          detail:
            missing.length === 0
              ? `has ${REQUIRED_SCOPES.join(', ')}`
              : `missing ${missing.join(', ')}: add them to the private app`,
        });
      } catch (err) {
        checks.push({ name: 'token', ok: false, detail: (err as Error).message });
        return checks;
      }
      try {
        await request('contacts.list', 'GET', '/crm/v3/objects/contacts?limit=1');
        checks.push({ name: 'crm api', ok: true, detail: 'GET /crm/v3/objects/contacts answered 200' });
      } catch (err) {
        checks.push({ name: 'crm api', ok: false, detail: (err as Error).message });
      }
      return checks;
    },

    async probe(): Promise<ProbeResult> {
      const res = await once('contacts.probe', 'GET', '/crm/v3/objects/contacts?limit=1');
      const advertised: Record<string, number> = {};
      for (const [key, header] of Object.entries(LIMIT_HEADERS)) {
        const v = numberHeader(res.headers, header);
        if (v !== undefined) advertised[key] = v;
      }
      return {
        status: res.status,
        throttled: res.status === 429,
        retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
        advertised,
        at: Date.now(),
      };
    },
  });
}
