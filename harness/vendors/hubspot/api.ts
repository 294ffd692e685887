import { createHttpClient } from '../../pipeline/outbound/http-client.js';
import type { ApiConnection, BatchUpsertResult, CrmApi, RecordInput, SubscriptionRequest } from '../types.js';
import { HUBSPOT_ID_PROPERTY, subscriptionPrefix } from './fields.js';

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
    ...(connection.budget ? { budget: connection.budget } : {}),
  });
  const appId = connection.settings?.appId ?? '1';

  return {
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
      if (subscription.actions.includes('delete')) wanted.push({ eventType: `${prefix}.deletion` });
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
  };
}
