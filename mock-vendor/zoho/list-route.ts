import type { FastifyInstance } from 'fastify';
import { zohoDateTime } from '../../harness/vendors/zoho/wire.js';
import type { MockRecord } from '../records.js';
import { zohoError } from './errors.js';
import { type ZohoMock, zohoSecond } from './mock.js';
import { isPaging, readPaging } from './paging.js';
import { resolveModule, toZohoRecord } from './wire.js';

interface ListQuery {
  fields?: string;
  page?: string;
  per_page?: string;
  page_token?: string;
  sort_by?: string;
  sort_order?: string;
}

type SortBy = 'id' | 'Created_Time' | 'Modified_Time';
type SortOrder = 'asc' | 'desc';

/**
 * The fields Get Records sorts by (Zoho's "Kaizen #60" on Get Records: id, Created_Time and
 * Modified_Time). Times sort at the second Zoho keeps them to; ties fall back to the id, so a
 * page boundary inside a group of equal times is still a fixed point.
 */
const SORT_KEYS: Readonly<Record<SortBy, (r: MockRecord) => number>> = {
  id: (r) => Number(r.id),
  Created_Time: (r) => zohoSecond(r.createdAt),
  Modified_Time: (r) => zohoSecond(r.updatedAt),
};

interface PageToken {
  sortBy: SortBy;
  order: SortOrder;
  /** The sort key and id of the last record already returned. */
  key: number;
  id: number;
  perPage: number;
  since: number;
  expiresAt: number;
}

// Zoho's page tokens are opaque and expire after a day (info.page_token_expiry).
const PAGE_TOKEN_TTL_MS = 86_400_000;

function encodeToken(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(raw: string): PageToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<PageToken>;
    const numbers = [t.key, t.id, t.perPage, t.since, t.expiresAt].every((v) => typeof v === 'number');
    if (numbers && isSortBy(t.sortBy) && (t.order === 'asc' || t.order === 'desc')) return t as PageToken;
  } catch {
    // fall through: an unreadable token is an invalid one
  }
  return undefined;
}

function isSortBy(value: unknown): value is SortBy {
  return typeof value === 'string' && Object.hasOwn(SORT_KEYS, value);
}

/** (key, id) in the asked order: the total order pages and tokens walk. */
function compare(order: SortOrder) {
  const sign = order === 'asc' ? 1 : -1;
  return (a: { key: number; id: number }, b: { key: number; id: number }) =>
    sign * (a.key - b.key || a.id - b.id);
}

/**
 * `GET /crm/v8/{module}`: `fields` is mandatory, `page`/`per_page` (<= 200) reach the first
 * 2,000 records, `page_token` goes beyond, `sort_by` (id, Created_Time, Modified_Time) with
 * `sort_order`, and If-Modified-Since narrows to records modified after it, 304 when there are
 * none (shared/vendors.md §4.2).
 */
export function registerListRoute(crm: FastifyInstance, mock: ZohoMock): void {
  crm.get<{ Params: { module: string }; Querystring: ListQuery }>('/:module', async (req, reply) => {
    const module = resolveModule(req, reply);
    if (!module) return reply;
    const q = req.query;
    if (!q.fields)
      return reply.code(400).send(
        zohoError('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', {
          param: 'fields',
        }),
      );
    const fields = q.fields.split(',').filter(Boolean);
    const header = req.headers['if-modified-since'];
    const since = header === undefined ? Number.MIN_SAFE_INTEGER : Date.parse(header);
    if (Number.isNaN(since))
      return reply
        .code(400)
        .send(zohoError('INVALID_DATA', 'invalid If-Modified-Since header', { header: 'If-Modified-Since' }));
    if (q.sort_by !== undefined && !isSortBy(q.sort_by))
      return reply
        .code(400)
        .send(zohoError('INVALID_DATA', 'the sort_by given is not supported', { param: 'sort_by' }));
    if (q.sort_order !== undefined && q.sort_order !== 'asc' && q.sort_order !== 'desc')
      return reply
        .code(400)
        .send(zohoError('INVALID_DATA', 'the sort_order given is invalid', { param: 'sort_order' }));
    const max = mock.settings.listPerPageMax;
    const now = Date.now();

    // Without sort_by the mock keeps id order, ascending. With sort_by, Zoho's default order is
    // descending (Kaizen #29, "Parameters in Zoho CRM APIs").
    let sortBy: SortBy = q.sort_by ?? 'id';
    let order: SortOrder = q.sort_order ?? (q.sort_by === undefined ? 'asc' : 'desc');
    const paging = readPaging(q, max);
    if (!isPaging(paging)) return reply.code(400).send(paging);
    let perPage = paging.perPage;
    let after: { key: number; id: number } | undefined;
    let skip = 0;
    let page = 1;
    let modifiedSince = since;
    if (q.page_token) {
      const token = decodeToken(q.page_token);
      // A token carries its page size: one the mock did not issue could ask past the maximum.
      const sized =
        token && Number.isSafeInteger(token.perPage) && token.perPage >= 1 && token.perPage <= max;
      if (!token || !sized || token.expiresAt < now)
        return reply
          .code(400)
          .send(
            zohoError('INVALID_DATA', 'the page_token given is invalid or expired', { param: 'page_token' }),
          );
      ({ sortBy, order, perPage, since: modifiedSince } = token);
      after = { key: token.key, id: token.id };
    } else {
      page = paging.page;
      skip = (page - 1) * perPage;
      if (skip + perPage > mock.settings.pageParamRecordLimit) {
        return reply.code(400).send(
          zohoError(
            'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
            `cannot fetch more than ${mock.settings.pageParamRecordLimit} records using page, use page_token`,
            {
              limit: mock.settings.pageParamRecordLimit,
            },
          ),
        );
      }
    }

    const byOrder = compare(order);
    const keyOf = SORT_KEYS[sortBy];
    // Zoho keeps Modified_Time to the second, so "modified since" compares whole seconds.
    const matching = [...mock.store(module).all()]
      .filter((r) => zohoSecond(r.updatedAt) > modifiedSince)
      .map((record) => ({ record, key: keyOf(record), id: Number(record.id) }))
      .filter((r) => after === undefined || byOrder(r, after) > 0)
      .sort(byOrder);
    if (matching.length === 0 && header !== undefined) return reply.code(304).send();
    const rows = matching.slice(skip, skip + perPage);
    if (rows.length === 0) return reply.code(204).send();
    const more = matching.length > skip + perPage;
    const last = rows.at(-1);
    const expiresAt = now + PAGE_TOKEN_TTL_MS;
    const next =
      more && last
        ? encodeToken({ sortBy, order, key: last.key, id: last.id, perPage, since: modifiedSince, expiresAt })
        : null;
    return {
      data: rows.map((r) => toZohoRecord(r.record, fields)),
      info: {
        per_page: perPage,
        count: rows.length,
        page,
        sort_by: sortBy,
        sort_order: order,
        more_records: more,
        next_page_token: next,
        previous_page_token: null,
        page_token_expiry: next ? zohoDateTime(expiresAt) : null,
      },
    };
  });
}
