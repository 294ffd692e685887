import { connectionOptions, createHttpClient, createRawClient } from '../../pipeline/outbound/http-client.js';
import { traceWrites } from '../../telemetry/trace-spans.js';
import type { ApiConnection, BatchUpsertResult, CrmApi, RecordInput, SubscriptionRequest } from '../types.js';
import { checkZohoAccess } from './access.js';
import { toZohoFields, WATCH_EVENT_SUFFIX, ZOHO_DUPLICATE_CHECK_FIELD, zohoModule } from './fields.js';
import { ZOHO_PROBE_PATH, zohoProbeResult } from './probe.js';
import { zohoRecords } from './records.js';
import { zohoDateTime } from './wire.js';

/** Zoho's per-record result inside `data[]` (shared/vendors.md §4.2). */
interface RecordResult {
  code?: string;
  status?: string;
  action?: 'insert' | 'update';
}

// Older API versions capped channels at one day and v8 at a week: one day ahead fits both.
const CHANNEL_LIFETIME_MS = 86_400_000 - 60_000;

/** A channel id is a long; time-based so a re-run does not collide with a live channel. */
function newChannelId(): number {
  return Date.now() * 1000 + Math.floor(Math.random() * 1000);
}

/** Zoho CRM v8 over plain fetch; the same calls reach the live API and the mock. */
export function zohoApi(connection: ApiConnection): CrmApi {
  const clientOptions = {
    baseUrl: connection.baseUrl,
    headers: { authorization: `Zoho-oauthtoken ${connection.token}` },
    ...connectionOptions(connection),
  };
  const request = createHttpClient(clientOptions);
  // Never retried: the probe and the access checks must see Zoho's own answer, 4xx included.
  const once = createRawClient(clientOptions);

  return traceWrites('zoho', {
    async batchUpsert(objectType, inputs: readonly RecordInput[]): Promise<BatchUpsertResult> {
      const module = zohoModule(objectType);
      const res = await request(`${objectType}.upsert`, 'POST', `/crm/v8/${module}/upsert`, {
        data: inputs.map((i) => ({
          ...toZohoFields(i.fields),
          [ZOHO_DUPLICATE_CHECK_FIELD]: i.externalId,
        })),
        duplicate_check_fields: [ZOHO_DUPLICATE_CHECK_FIELD],
      });
      const results = ((res.body ?? {}) as { data?: RecordResult[] }).data ?? [];
      const ok = results.filter((r) => r.status === 'success');
      const created = ok.filter((r) => r.action === 'insert').length;
      return { created, updated: ok.length - created, errors: results.length - ok.length };
    },

    async configureWebhooks(targetUrl: string, subscription: SubscriptionRequest): Promise<void> {
      const module = zohoModule(subscription.objectType);
      // Zoho sends ids only unless asked for the changed values; `fields` is served by
      // return_affected_field_values (v6+ notification_condition could narrow it further).
      await request('notifications.watch', 'POST', '/crm/v8/actions/watch', {
        watch: [
          {
            channel_id: newChannelId(),
            events: subscription.actions.map((a) => `${module}.${WATCH_EVENT_SUFFIX[toOperation(a)]}`),
            channel_expiry: zohoDateTime(Date.now() + CHANNEL_LIFETIME_MS),
            ...(connection.webhookSecret ? { token: connection.webhookSecret } : {}),
            notify_url: targetUrl,
            return_affected_field_values: true,
          },
        ],
      });
    },

    checkAccess: () => checkZohoAccess(once, connection.webhookSecret),

    async probe() {
      return zohoProbeResult(await once('contacts.probe', 'GET', ZOHO_PROBE_PATH));
    },

    ...zohoRecords(clientOptions),
  });
}

function toOperation(action: SubscriptionRequest['actions'][number]) {
  return action === 'create' ? 'insert' : action;
}
