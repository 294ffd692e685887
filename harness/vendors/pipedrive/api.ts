import { PocError } from '../../errors.js';
import { createHttpClient, createRawClient, type HttpRequest } from '../../pipeline/outbound/http-client.js';
import { traceWrites } from '../../telemetry/trace-spans.js';
import type {
  AccessCheck,
  ApiConnection,
  BatchUpsertResult,
  CrmApi,
  EventAction,
  ProbeResult,
  SubscriptionRequest,
} from '../types.js';
import { checkPipedriveAccess } from './access.js';
import type { CustomFieldKeys } from './field-keys.js';
import { CUSTOM_CANONICAL_FIELDS, eventObjectOf, type PersonWriteBody, toPersonBody } from './fields.js';
import { PROBE_PATH, probeResult } from './probe.js';
import { pipedriveRecords } from './records.js';

/** The Basic user name poc puts on its webhooks unless `settings.webhookUser` says otherwise. */
export const DEFAULT_WEBHOOK_USER = 'poc';

const EVENT_ACTIONS: Readonly<Record<EventAction, string>> = {
  create: 'create',
  update: 'change',
  delete: 'delete',
};

interface SearchResponse {
  data?: { items?: { item?: { id?: number; name?: string; emails?: string[] } }[] };
}
interface FieldsResponse {
  data?: { key?: string; name?: string }[] | null;
  additional_data?: { pagination?: { more_items_in_collection?: boolean; next_start?: number } };
}
interface WebhooksResponse {
  data?: {
    id?: number;
    subscription_url?: string;
    event_action?: string;
    event_object?: string;
    version?: string;
  }[];
}

/**
 * How the token travels. `header` (default) is what the official SDK sends (`x-api-token`);
 * `query` puts `api_token` on the URL, added at fetch time so it never appears in an error
 * message; `oauth` sends the token as an OAuth2 bearer (4x the burst limit).
 */
function authenticate(connection: ApiConnection): { headers: Record<string, string>; fetch?: typeof fetch } {
  const mode = connection.settings?.auth ?? 'header';
  const base = connection.fetch ?? fetch;
  if (mode === 'oauth') return { headers: { authorization: `Bearer ${connection.token}` } };
  if (mode === 'query') {
    const withToken: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      url.searchParams.set('api_token', connection.token);
      return base(url, init);
    };
    return { headers: {}, fetch: withToken };
  }
  return { headers: { 'x-api-token': connection.token } };
}

/** Resolves (and, when missing, creates) the hash keys of poc's canonical custom fields. */
async function resolveCustomKeys(request: HttpRequest, keys: CustomFieldKeys): Promise<void> {
  const known = new Map<string, string>();
  for (let start = 0; ; ) {
    const res = await request('personFields.list', 'GET', `/v1/personFields?start=${start}&limit=500`);
    const body = (res.body ?? {}) as FieldsResponse;
    for (const field of body.data ?? []) {
      if (typeof field.name === 'string' && typeof field.key === 'string') known.set(field.name, field.key);
    }
    const page = body.additional_data?.pagination;
    if (!page?.more_items_in_collection || page.next_start === undefined) break;
    start = page.next_start;
  }
  for (const canonical of CUSTOM_CANONICAL_FIELDS) {
    let key = known.get(canonical);
    if (key === undefined) {
      const res = await request('personFields.create', 'POST', '/v1/personFields', {
        name: canonical,
        field_type: 'varchar',
      });
      key = (res.body as { data?: { key?: string } } | null)?.data?.key;
      if (typeof key !== 'string') {
        throw new PocError('POC_ERR_VENDOR_HTTP', `personFields.create: no key returned for "${canonical}"`);
      }
    }
    keys.learn(canonical, key);
  }
}

/**
 * Pipedrive API v2 (persons) and v1 (personFields, webhooks) over the shared HTTP client.
 *
 * Pipedrive has no batch or upsert endpoint, so an upsert costs two calls: a search by email
 * (`exact_match`, which has its own 10 per 2 s limit) then a PATCH or a POST.
 */
export function pipedriveApi(connection: ApiConnection, keys: CustomFieldKeys): CrmApi {
  const auth = authenticate(connection);
  const clientOptions = {
    baseUrl: connection.baseUrl,
    headers: auth.headers,
    ...(auth.fetch ? { fetch: auth.fetch } : connection.fetch ? { fetch: connection.fetch } : {}),
    ...(connection.signal ? { signal: connection.signal } : {}),
    ...(connection.onCall ? { onCall: connection.onCall } : {}),
    ...(connection.budget ? { budget: connection.budget } : {}),
    ...(connection.limiter ? { limiter: connection.limiter } : {}),
  };
  const request = createHttpClient(clientOptions);
  // One attempt, no throw: the probe must see the 429 itself, and doctor the 401/403.
  const once = createRawClient(clientOptions);
  let resolved: Promise<void> | undefined;
  const customKeys = async () => {
    resolved ??= resolveCustomKeys(request, keys).catch((err: unknown) => {
      resolved = undefined;
      throw err;
    });
    await resolved;
    return keys.forward();
  };

  async function findByEmail(email: string) {
    const query = `term=${encodeURIComponent(email)}&fields=email&exact_match=true`;
    const res = await request('persons.search', 'GET', `/api/v2/persons/search?${query}`);
    const items = ((res.body ?? {}) as SearchResponse).data?.items ?? [];
    const wanted = email.toLowerCase();
    // exact_match is case-insensitive; a person with the email among several is still a match.
    return items
      .map((i) => i.item)
      .find((item) => item?.emails?.some((e) => e.toLowerCase() === wanted) ?? true);
  }

  return traceWrites('pipedrive', {
    ...pipedriveRecords(request, customKeys),

    async batchUpsert(objectType, inputs): Promise<BatchUpsertResult> {
      if (objectType !== 'contacts') {
        throw new PocError(
          'POC_ERR_NOT_SUPPORTED',
          `pipedrive: batchUpsert supports contacts, not ${objectType}`,
        );
      }
      const mapping = await customKeys();
      let created = 0;
      let updated = 0;
      for (const input of inputs) {
        const existing = await findByEmail(input.externalId);
        if (existing?.id !== undefined) {
          const body = toPersonBody(input.fields, mapping, existing.name);
          await request('persons.update', 'PATCH', `/api/v2/persons/${existing.id}`, body);
          updated++;
          continue;
        }
        const body: PersonWriteBody = toPersonBody({ email: input.externalId, ...input.fields }, mapping);
        // Pipedrive requires a name on create; the email stands in when none is given.
        body.name ??= input.externalId;
        await request('persons.create', 'POST', '/api/v2/persons', body);
        created++;
      }
      return { created, updated, errors: 0 };
    },

    async configureWebhooks(targetUrl: string, subscription: SubscriptionRequest): Promise<void> {
      const password = connection.webhookSecret;
      if (!password) {
        throw new PocError(
          'POC_ERR_MISSING_CREDENTIALS',
          'pipedrive: the webhook password (POC_PIPEDRIVE_WEBHOOK_PASSWORD) is needed for the Basic credentials',
        );
      }
      // Resolved before any event can arrive, so the receiver knows the poc_seq hash key.
      await customKeys();
      const eventObject = eventObjectOf(subscription.objectType);
      const listed = await request('webhooks.list', 'GET', '/v1/webhooks');
      const existing = ((listed.body ?? {}) as WebhooksResponse).data ?? [];
      // Pipedrive has no per-field subscription: a `change` webhook fires for any field.
      for (const action of subscription.actions) {
        const eventAction = EVENT_ACTIONS[action];
        // A webhook left by an earlier run to the same URL may carry an old password: replace it.
        const stale = existing.filter(
          (w) =>
            w.subscription_url === targetUrl &&
            w.event_action === eventAction &&
            w.event_object === eventObject,
        );
        for (const w of stale) await request('webhooks.delete', 'DELETE', `/v1/webhooks/${w.id}`);
        await request('webhooks.create', 'POST', '/v1/webhooks', {
          subscription_url: targetUrl,
          event_action: eventAction,
          event_object: eventObject,
          name: `poc ${eventAction}.${eventObject}`,
          http_auth_user: connection.settings?.webhookUser ?? DEFAULT_WEBHOOK_USER,
          http_auth_password: password,
          version: '2.0',
        });
      }
    },

    checkAccess(): Promise<AccessCheck[]> {
      return checkPipedriveAccess(once, connection.settings?.auth === 'oauth');
    },

    async probe(): Promise<ProbeResult> {
      return probeResult(await once('persons.probe', 'GET', PROBE_PATH));
    },
  });
}
