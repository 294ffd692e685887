import { createHttpClient } from '../../pipeline/outbound/http-client.js';
import type { ApiConnection, BatchUpsertResult, CrmApi, RecordInput, WebhookSubscription } from '../types.js';

interface BatchResponse {
  results?: { new?: boolean }[];
  errors?: unknown[];
  numErrors?: number;
}

/** HubSpot CRM v3 over plain fetch; the same calls reach the live API and the mock. */
export function hubspotApi(connection: ApiConnection): CrmApi {
  const request = createHttpClient({
    baseUrl: connection.baseUrl,
    headers: { authorization: `Bearer ${connection.token}` },
    ...(connection.fetch ? { fetch: connection.fetch } : {}),
    ...(connection.signal ? { signal: connection.signal } : {}),
    ...(connection.onCall ? { onCall: connection.onCall } : {}),
  });
  const appId = connection.settings?.appId ?? '1';

  return {
    async batchUpsert(objectType, idProperty, inputs: readonly RecordInput[]): Promise<BatchUpsertResult> {
      const res = await request(
        `${objectType}.batch_upsert`,
        'POST',
        `/crm/v3/objects/${objectType}/batch/upsert`,
        {
          inputs: inputs.map((i) => ({ id: i.id, idProperty, properties: i.properties })),
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

    async configureWebhooks(targetUrl: string, subscriptions: readonly WebhookSubscription[]): Promise<void> {
      await request('webhooks.settings', 'PUT', `/webhooks/v3/${appId}/settings`, {
        targetUrl,
        throttling: { maxConcurrentRequests: 10, period: 'SECONDLY' },
      });
      for (const s of subscriptions) {
        await request('webhooks.subscribe', 'POST', `/webhooks/v3/${appId}/subscriptions`, {
          eventType: s.eventType,
          ...(s.propertyName ? { propertyName: s.propertyName } : {}),
          active: true,
        });
      }
    },
  };
}
