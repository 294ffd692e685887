import type { FastifyInstance } from 'fastify';
import { ZOHO_FACTS } from '../../harness/vendors/zoho/profile.js';
import { zohoDateTime } from '../../harness/vendors/zoho/wire.js';
import { zohoError } from './errors.js';
import { type Tombstone, type ZohoMock, zohoSecond } from './mock.js';
import { isPaging, readPaging } from './paging.js';
import { type ModuleParams, resolveModule, SYSTEM_USER } from './wire.js';

type DeletedType = 'all' | 'recycle' | 'permanent';

interface DeletedQuery {
  type?: string;
  page?: string;
  per_page?: string;
}

/** A record leaves the recycle bin for good once its retention has passed (ZOHO_FACTS). */
function typeOf(t: Tombstone, now: number): Exclude<DeletedType, 'all'> {
  return now - t.deletedAt > ZOHO_FACTS.recycleBinRetentionMs.value ? 'permanent' : 'recycle';
}

/**
 * `GET /crm/v8/{module}/deleted`: the records deleted to the recycle bin and for good (`type`),
 * paged by `page`/`per_page` only, narrowed by If-Modified-Since to deletions after it
 * (shared/vendors.md §4.6; the SDK's GetDeletedRecordsParam/Header name the same inputs).
 */
export function registerDeletedRoute(crm: FastifyInstance, mock: ZohoMock): void {
  crm.get<{ Params: ModuleParams; Querystring: DeletedQuery }>('/:module/deleted', async (req, reply) => {
    const module = resolveModule(req, reply);
    if (!module) return reply;
    const q = req.query;
    const type = q.type ?? 'all';
    if (type !== 'all' && type !== 'recycle' && type !== 'permanent')
      return reply
        .code(400)
        .send(zohoError('INVALID_DATA', 'the type given seems to be invalid', { param: 'type' }));
    const header = req.headers['if-modified-since'];
    const since = header === undefined ? Number.MIN_SAFE_INTEGER : Date.parse(header);
    if (Number.isNaN(since))
      return reply
        .code(400)
        .send(zohoError('INVALID_DATA', 'invalid If-Modified-Since header', { header: 'If-Modified-Since' }));
    const max = mock.settings.listPerPageMax;
    const paging = readPaging(q, max);
    if (!isPaging(paging)) return reply.code(400).send(paging);
    const { page, perPage } = paging;
    const now = Date.now();

    const matching = (mock.tombstones.get(module.apiName) ?? [])
      .filter((t) => zohoSecond(t.deletedAt) > since && (type === 'all' || typeOf(t, now) === type))
      // Newest deletion first (ZOHO_FACTS.deletedListOrder, unverified); ties by id.
      .sort((a, b) => zohoSecond(b.deletedAt) - zohoSecond(a.deletedAt) || Number(b.id) - Number(a.id));
    if (matching.length === 0) return reply.code(header === undefined ? 204 : 304).send();
    const rows = matching.slice((page - 1) * perPage, page * perPage);
    if (rows.length === 0) return reply.code(204).send();
    return {
      data: rows.map((t) => ({
        deleted_by: SYSTEM_USER,
        id: t.id,
        display_name: t.displayName,
        type: typeOf(t, now),
        created_by: SYSTEM_USER,
        deleted_time: zohoDateTime(t.deletedAt),
      })),
      info: { per_page: perPage, count: rows.length, page, more_records: matching.length > page * perPage },
    };
  });
}
