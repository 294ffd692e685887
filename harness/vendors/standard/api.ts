import { PocError } from '../../errors.js';
import { connectionOptions, createHttpClient, createRawClient } from '../../pipeline/outbound/http-client.js';
import { traceWrites } from '../../telemetry/trace-spans.js';
import type {
  AccessCheck,
  ApiConnection,
  BatchUpsertResult,
  CrmApi,
  RecordInput,
  SubscriptionRequest,
} from '../types.js';
import { CONTACT_EVENT_TYPES, toContactWrite } from './fields.js';
import { probeResult } from './probe.js';
import { standardRecords } from './records.js';
import { canonicalSecret, secretKey } from './signature.js';

/*
 * The generic CRM's REST API. This comment is its documentation; mock-vendor/standard/ serves it.
 *
 * - Auth: `Authorization: Bearer <token>`; anything else is 401.
 * - Errors: RFC 9457 problem details, `application/problem+json`:
 *   `{type: "about:blank", title, status, detail, code, errors?: [{field, message}]}`.
 * - Rate limit: 100 requests per fixed 10 s window per token. Every answer carries
 *   `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds to the next window) and
 *   `RateLimit-Policy: 100;w=10` (draft-ietf-httpapi-ratelimit-headers-06); past the limit,
 *   429 with `Retry-After` (seconds) and code `rate_limited`.
 * - Contact: `{id, external_id, email, first_name, last_name, phone, custom_fields, created_at,
 *   updated_at}`; `custom_fields` holds any other string field (poc_seq lives there).
 *   `updated_at` is the last change by the CRM's clock, ISO 8601 to the millisecond; the webhook
 *   `timestamp` of that change is the same instant.
 *   POST   /v1/contacts -> 201 contact;  GET | PATCH | DELETE (204) /v1/contacts/{id}
 * - Lists: `{data, next_cursor}`; `limit` 1..1000 (default 100). `next_cursor` is opaque (a
 *   keyset position, not an offset) and null on the last page; pass it back as `cursor` with the
 *   same query. A cursor from another query is 400 `invalid_parameter`. Writes during paging
 *   never make a list skip a record that matched before it started.
 *   GET    /v1/contacts?limit=&cursor=  -> every contact, ascending by id.
 *   GET    /v1/contacts?modified_since=<ISO>&limit=&cursor=  -> contacts with updated_at >=
 *          modified_since, ascending by updated_at, ties by id; a contact written while the
 *          client pages moves to the end and is listed again. `updated_since` is its earlier name.
 *   GET    /v1/contacts/deleted?since=<ISO>&limit=&cursor=  -> tombstones
 *          `{id, external_id, deleted_at}` with deleted_at >= since (all when absent), ascending by
 *          deleted_at, ties by id; kept 90 days after deleted_at.
 *   Catching up after missed webhooks: modified_since from the last change applied, then
 *   /deleted from the same time; the CRM has no replay API.
 *   POST   /v1/contacts/batch-upsert {contacts: [{external_id, ...}]} (at most 100, matched by
 *          external_id, case-insensitive) -> {created, updated, data}
 * - Webhooks: `contact.created`, `contact.updated`, `contact.deleted`, each `{type, timestamp,
 *   data}` with `data` the full contact as it stands after the change (as it last stood, for a
 *   delete). No merges, so no merge event.
 * - Webhook endpoints (the spec's "endpoint management API"):
 *   POST   /v1/webhook-endpoints {url, events: ["contact.updated", ...], secret?} -> 201
 *          {id, url, events, secret, disabled, created_at}. The client may bring its own `whsec_`
 *          secret (24-64 random bytes, base64); otherwise the account's default one is used. The
 *          secret is only shown in this answer.
 *   GET    /v1/webhook-endpoints -> {data, next_cursor: null};  GET | PATCH {url?, events?,
 *          disabled?} | DELETE (204) /v1/webhook-endpoints/{id}
 *   POST   /v1/webhook-endpoints/{id}/secret/rotate {secret?} -> the endpoint with its new
 *          secret; the old one keeps signing too (a second `v1,` entry) for 24 h.
 *   An endpoint that answers 410 Gone is disabled (`disabled_reason: "gone"`) and its messages are
 *   held; PATCH {disabled: false} resumes delivery of what was held.
 */

interface BatchUpsertBody {
  created?: number;
  updated?: number;
  data?: unknown[];
}

interface EndpointBody {
  id: string;
  url: string;
}

/** Builds the subscription's event types; the CRM filters by type, not by field. */
function eventTypes(request: SubscriptionRequest): string[] {
  if (request.objectType !== 'contacts') {
    throw new PocError(
      'POC_ERR_NOT_SUPPORTED',
      `configureWebhooks: the standard CRM only has contacts, not "${request.objectType}"`,
    );
  }
  return request.actions.map((action) => CONTACT_EVENT_TYPES[action]);
}

export function standardApi(connection: ApiConnection): CrmApi {
  const clientOptions = {
    baseUrl: connection.baseUrl,
    headers: { authorization: `Bearer ${connection.token}` },
    ...connectionOptions(connection),
  };
  const request = createHttpClient(clientOptions);
  const once = createRawClient(clientOptions);

  return traceWrites('standard', {
    ...standardRecords(request),

    async batchUpsert(objectType, inputs: readonly RecordInput[]): Promise<BatchUpsertResult> {
      if (objectType !== 'contacts') {
        throw new PocError('POC_ERR_NOT_SUPPORTED', `batchUpsert: the standard CRM only has contacts`);
      }
      const res = await request('contacts.batch_upsert', 'POST', '/v1/contacts/batch-upsert', {
        contacts: inputs.map((i) => ({ external_id: i.externalId, ...toContactWrite(i.fields) })),
      });
      const body = (res.body ?? {}) as BatchUpsertBody;
      // All or nothing: an invalid entry fails the whole call with 422 (thrown above), so a
      // success has no per-record errors.
      return { created: body.created ?? 0, updated: body.updated ?? 0, errors: 0 };
    },

    async configureWebhooks(targetUrl: string, subscription: SubscriptionRequest): Promise<void> {
      const events = eventTypes(subscription);
      // One endpoint per URL: an older one for the same URL is replaced, so its secret cannot
      // linger and messages are not fanned out twice to the same receiver.
      const listed = await request('webhook_endpoints.list', 'GET', '/v1/webhook-endpoints');
      const existing = ((listed.body as { data?: EndpointBody[] } | null)?.data ?? []).filter(
        (e) => e.url === targetUrl,
      );
      for (const endpoint of existing) {
        await request(
          'webhook_endpoints.delete',
          'DELETE',
          `/v1/webhook-endpoints/${encodeURIComponent(endpoint.id)}`,
        );
      }
      await request('webhook_endpoints.create', 'POST', '/v1/webhook-endpoints', {
        url: targetUrl,
        events,
        ...(connection.webhookSecret ? { secret: canonicalSecret(connection.webhookSecret) } : {}),
      });
    },

    async checkAccess(): Promise<AccessCheck[]> {
      const checks: AccessCheck[] = [];
      for (const [name, path] of [
        ['contacts api', '/v1/contacts?limit=1'],
        ['webhook endpoints api', '/v1/webhook-endpoints'],
      ] as const) {
        try {
          await request(name.replaceAll(' ', '_'), 'GET', path);
          checks.push({ name, ok: true, detail: `GET ${path.split('?')[0]} answered 200 with the token` });
        } catch (err) {
          checks.push({ name, ok: false, detail: (err as Error).message });
        }
      }
      if (connection.webhookSecret !== undefined) {
        try {
          const bytes = secretKey(connection.webhookSecret).length;
          checks.push({
            name: 'webhook secret',
            ok: bytes >= 24 && bytes <= 64,
            detail: `${bytes} bytes once base64-decoded; the spec asks for 24 to 64 random bytes`,
          });
        } catch (err) {
          checks.push({ name: 'webhook secret', ok: false, detail: (err as Error).message });
        }
      }
      return checks;
    },

    async probe() {
      return probeResult(await once('contacts.probe', 'GET', '/v1/contacts?limit=1'));
    },
  });
}
