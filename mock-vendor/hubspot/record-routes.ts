import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestedProperties, toApiObject, toApiObjectWith } from './api-object.js';
import { hubspotError, unknownObjectType } from './errors.js';
import { type HubspotMock, isObjectType, type ObjectType } from './mock.js';

export interface ObjectParams {
  objectType: string;
  id?: string;
}

/**
 * The object type of the path, or HubSpot's 400 when it names none (the gate answers an unknown
 * type first; this keeps each handler's type narrow).
 */
export function objectType(
  req: FastifyRequest<{ Params: ObjectParams }>,
  reply: FastifyReply,
): ObjectType | undefined {
  const type = req.params.objectType;
  if (isObjectType(type)) return type;
  void reply.code(400).send(unknownObjectType(type));
  return undefined;
}

/** The list's page size limit (shared/vendors.md §1.2: 100) and its default (the list reference: 10). */
const LIST_MAX = 100;
const LIST_DEFAULT = 10;

/**
 * The list's `limit`, an integer page size per HubSpot's reference. Past 100 the mock serves 100
 * [unverified: whether HubSpot clamps or refuses; no source says]; a value that is not a whole
 * number from 1 up is refused with a 400 naming the parameter [unverified: HubSpot's status and
 * wording; a typed integer parameter is refused, not silently replaced by the default].
 */
function listLimit(raw: string | undefined): number | string {
  if (raw === undefined) return LIST_DEFAULT;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1)
    return `Invalid value for query parameter limit: "${raw}" must be a positive integer`;
  return Math.min(LIST_MAX, n);
}

interface ListQuery {
  limit?: string;
  after?: string;
  archived?: string;
  properties?: string | string[];
}

function paging(type: string, query: ListQuery, lastId: string | undefined, more: boolean) {
  if (!more || lastId === undefined) return {};
  const archived = query.archived === 'true' ? '&archived=true' : '';
  return { paging: { next: { after: lastId, link: `/crm/v3/objects/${type}?after=${lastId}${archived}` } } };
}

/** The list (live or archived, id order, `after` paging) and merge endpoints of CRM v3. */
export function registerHubspotRecordRoutes(app: FastifyInstance, mock: HubspotMock): void {
  app.get<{ Params: ObjectParams; Querystring: ListQuery }>(
    '/crm/v3/objects/:objectType',
    async (req, reply) => {
      const type = objectType(req, reply);
      if (!type) return reply;
      const limit = listLimit(req.query.limit);
      if (typeof limit === 'string') return reply.code(400).send(hubspotError('VALIDATION_ERROR', limit));
      const after = Number(req.query.after ?? 0) || 0;
      const properties = requestedProperties(req.query.properties);
      if (req.query.archived === 'true') {
        const page = mock.listArchived(type, after, limit + 1);
        const results = page.slice(0, limit).map((a) => ({
          ...toApiObjectWith(a.record, properties),
          archived: true,
          archivedAt: new Date(a.archivedAt).toISOString(),
        }));
        return { results, ...paging(type, req.query, results.at(-1)?.id, page.length > limit) };
      }
      const page = mock.store(type).list(after, limit + 1);
      const results = page.slice(0, limit).map((r) => toApiObjectWith(r, properties));
      return { results, ...paging(type, req.query, results.at(-1)?.id, page.length > limit) };
    },
  );

  app.post<{ Params: ObjectParams; Body: { primaryObjectId?: unknown; objectIdToMerge?: unknown } }>(
    '/crm/v3/objects/:objectType/merge',
    async (req, reply) => {
      const type = objectType(req, reply);
      if (!type) return reply;
      const primary = req.body?.primaryObjectId;
      const toMerge = req.body?.objectIdToMerge;
      if (typeof primary !== 'string' || typeof toMerge !== 'string') {
        return reply
          .code(400)
          .send(hubspotError('VALIDATION_ERROR', 'primaryObjectId and objectIdToMerge are required strings'));
      }
      // Status and wording for unknown or identical ids are unverified; HubSpot's error shape is kept.
      if (!mock.resolve(type, primary) || !mock.resolve(type, toMerge)) {
        return reply.code(404).send(hubspotError('OBJECT_NOT_FOUND', 'resource not found'));
      }
      const merged = mock.merge(type, primary, toMerge, Date.now());
      if (!merged) {
        return reply.code(400).send(hubspotError('VALIDATION_ERROR', 'cannot merge an object with itself'));
      }
      return toApiObject(merged.record);
    },
  );
}
