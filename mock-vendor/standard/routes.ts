import type { FastifyInstance, FastifyReply } from 'fastify';
import { gatedPath } from '../api-route.js';
import { FixedWindowLimiter, type RequestLimiter } from '../rate-limiter.js';
import { readContactWrite, toContactJson } from './contacts.js';
import { type FieldError, sendProblem } from './errors.js';
import { decodeCursor, type ListKind, type SortKey } from './listing.js';
import type { StandardMock } from './mock.js';
import type { StandardMockSettings } from './settings.js';

/**
 * Seconds until the quota resets (the draft's delta-seconds): the window boundary for the
 * documented fixed window; for other styles a test may draw, when one more request would fit.
 */
function resetSeconds(limiter: RequestLimiter, now: number): number {
  const ms =
    limiter instanceof FixedWindowLimiter
      ? limiter.windowMs - (now % limiter.windowMs)
      : limiter.resetInMs(now);
  return Math.ceil(ms / 1000);
}

function limitHeaders(mock: StandardMock, reply: FastifyReply, now: number): void {
  const { limiter } = mock;
  void reply.headers({
    'ratelimit-limit': String(limiter.limit),
    'ratelimit-remaining': String(Math.max(0, limiter.remaining(now))),
    'ratelimit-reset': String(resetSeconds(limiter, now)),
    'ratelimit-policy': `${limiter.limit};w=${Math.round(limiter.windowMs / 1000)}`,
  });
}

/**
 * Bearer auth and the fixed-window limit in front of every /v1 route, decided on the route the
 * router matched, never the raw URL (mock-vendor/api-route.ts).
 */
function registerGate(app: FastifyInstance, mock: StandardMock): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!gatedPath(req).startsWith('/v1/')) return;
    mock.truth.apiRequests++;
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${mock.credentials.token}`) {
      void reply.header('www-authenticate', 'Bearer realm="crm", error="invalid_token"');
      return sendProblem(reply, 401, 'unauthorized', 'Missing or invalid bearer token.');
    }
    const now = Date.now();
    const allowed = mock.limiter.tryTake(now);
    limitHeaders(mock, reply, now);
    if (!allowed) {
      mock.truth.rateLimited++;
      void reply.header('retry-after', String(Math.max(1, Math.ceil(mock.limiter.resetInMs(now) / 1000))));
      return sendProblem(
        reply,
        429,
        'rate_limited',
        `Rate limit of ${mock.limiter.limit} requests per ${mock.limiter.windowMs / 1000} s exceeded.`,
      );
    }
  });
}

interface ListQuery {
  limit?: string;
  cursor?: string;
  modified_since?: string;
  /** The earlier name of modified_since, still accepted. */
  updated_since?: string;
  since?: string;
}

type ListRead =
  | {
      readonly ok: true;
      readonly limit: number;
      readonly after: SortKey | undefined;
      readonly since: number | undefined;
    }
  | { readonly ok: false; readonly errors: FieldError[] };

/** limit, cursor and one optional ISO date-time parameter, as every contact list takes them. */
function readListQuery(
  settings: StandardMockSettings,
  kind: ListKind,
  query: ListQuery,
  sinceName: 'modified_since' | 'updated_since' | 'since',
): ListRead {
  const errors: FieldError[] = [];
  // "limit 1..1000 (default 100)" (harness/vendors/standard/api.ts): outside it, or not an
  // integer (`limit=abc`, `limit=100000000`), the list is refused, never clamped.
  const limit = query.limit === undefined ? settings.pageDefault : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > settings.pageMax)
    errors.push({ field: 'limit', message: `must be an integer from 1 to ${settings.pageMax}` });
  let after: SortKey | undefined;
  if (query.cursor !== undefined) {
    const cursor = decodeCursor(kind, query.cursor);
    if (cursor.ok) after = cursor.key;
    else errors.push({ field: 'cursor', message: cursor.message });
  }
  const raw = query[sinceName];
  const since = raw === undefined ? undefined : Date.parse(raw);
  if (since !== undefined && Number.isNaN(since))
    errors.push({ field: sinceName, message: 'must be an ISO 8601 date-time' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, limit, after, since };
}

/** The CRM's contacts API (documented in harness/vendors/standard/api.ts). */
export function registerContactRoutes(app: FastifyInstance, mock: StandardMock): void {
  registerGate(app, mock);

  app.get<{ Querystring: ListQuery }>('/v1/contacts', async (req, reply) => {
    const { query } = req;
    if (query.modified_since !== undefined && query.updated_since !== undefined) {
      return sendProblem(reply, 400, 'invalid_parameter', 'Invalid query.', [
        { field: 'updated_since', message: 'is the earlier name of modified_since; send only one' },
      ]);
    }
    const sinceName = query.updated_since === undefined ? 'modified_since' : 'updated_since';
    const filtered = query[sinceName] !== undefined;
    const list = readListQuery(mock.settings, filtered ? 'modified' : 'all', query, sinceName);
    if (!list.ok) return sendProblem(reply, 400, 'invalid_parameter', 'Invalid query.', list.errors);
    return list.since === undefined
      ? mock.contacts.page(list.limit, list.after)
      : mock.contacts.modifiedSince(list.since, list.limit, list.after);
  });

  // A static route: Fastify matches it before /v1/contacts/:id, and contact ids are numeric.
  app.get<{ Querystring: ListQuery }>('/v1/contacts/deleted', async (req, reply) => {
    const list = readListQuery(mock.settings, 'deleted', req.query, 'since');
    if (!list.ok) return sendProblem(reply, 400, 'invalid_parameter', 'Invalid query.', list.errors);
    return mock.contacts.deletedSince(list.since ?? 0, list.limit, list.after);
  });

  app.post('/v1/contacts', async (req, reply) => {
    const write = readContactWrite(req.body, '');
    if (!write.ok) return sendProblem(reply, 422, 'validation_failed', 'Invalid contact.', write.errors);
    const externalId = write.properties.external_id;
    if (externalId !== undefined && mock.contacts.store.findBy('external_id', externalId)) {
      return sendProblem(reply, 409, 'external_id_taken', 'A contact with this external_id already exists.');
    }
    return reply.code(201).send(toContactJson(mock.create(write.properties, Date.now())));
  });

  app.get<{ Params: { id: string } }>('/v1/contacts/:id', async (req, reply) => {
    const record = mock.contacts.store.get(req.params.id);
    if (!record) return sendProblem(reply, 404, 'not_found', `No contact with id ${req.params.id}.`);
    return toContactJson(record);
  });

  app.patch<{ Params: { id: string } }>('/v1/contacts/:id', async (req, reply) => {
    const record = mock.contacts.store.get(req.params.id);
    if (!record) return sendProblem(reply, 404, 'not_found', `No contact with id ${req.params.id}.`);
    const write = readContactWrite(req.body, '');
    if (!write.ok) return sendProblem(reply, 422, 'validation_failed', 'Invalid contact.', write.errors);
    return toContactJson(mock.update(record, write.properties, Date.now()));
  });

  app.delete<{ Params: { id: string } }>('/v1/contacts/:id', async (req, reply) => {
    if (!mock.delete(req.params.id, Date.now()))
      return sendProblem(reply, 404, 'not_found', `No contact with id ${req.params.id}.`);
    return reply.code(204).send();
  });

  app.post<{ Body: { contacts?: unknown } }>('/v1/contacts/batch-upsert', async (req, reply) => {
    const contacts = req.body?.contacts;
    if (!Array.isArray(contacts) || contacts.length === 0) {
      return sendProblem(reply, 422, 'validation_failed', 'contacts must be a non-empty array.', [
        { field: 'contacts', message: 'must be a non-empty array' },
      ]);
    }
    if (contacts.length > mock.settings.batchMax) {
      return sendProblem(
        reply,
        400,
        'batch_too_large',
        `At most ${mock.settings.batchMax} contacts per batch; got ${contacts.length}.`,
      );
    }
    // All or nothing: validate every entry before applying any.
    const writes: Record<string, string>[] = [];
    const errors: FieldError[] = [];
    for (const [i, entry] of contacts.entries()) {
      const write = readContactWrite(entry, `contacts[${i}]`);
      if (write.ok && write.properties.external_id) writes.push(write.properties);
      if (!write.ok) errors.push(...write.errors);
      if (!(entry as { external_id?: unknown } | null)?.external_id)
        errors.push({ field: `contacts[${i}].external_id`, message: 'is required for an upsert' });
    }
    if (errors.length > 0) return sendProblem(reply, 422, 'validation_failed', 'Invalid contacts.', errors);
    const now = Date.now();
    let created = 0;
    const data = writes.map((properties) => {
      const { external_id: externalId, ...rest } = properties;
      const change = mock.upsert(externalId ?? '', rest, now);
      if (change.created) created++;
      return toContactJson(change.record);
    });
    return { created, updated: data.length - created, data };
  });
}
