import type { FastifyInstance } from 'fastify';
import { zohoDateTime } from '../../harness/vendors/zoho/api.js';
import type { MockRecord } from '../records.js';
import { zohoError } from './errors.js';
import type { ZohoMock } from './mock.js';
import { resolveModule, toZohoRecord } from './wire.js';

interface ListQuery {
  fields?: string;
  page?: string;
  per_page?: string;
  page_token?: string;
}

interface PageToken {
  /** The last id already returned. */
  after: number;
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
    if ([t.after, t.perPage, t.since, t.expiresAt].every((v) => typeof v === 'number')) return t as PageToken;
  } catch {
    // fall through: an unreadable token is an invalid one
  }
  return undefined;
}

/**
 * `GET /crm/v8/{module}`: `fields` is mandatory, `page`/`per_page` (<= 200) reach the first
 * 2,000 records, `page_token` goes beyond, and If-Modified-Since narrows to records modified after
 * it, 304 when there are none (shared/vendors.md §4.2).
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
    const since = header === undefined ? -1 : Date.parse(header);
    if (Number.isNaN(since))
      return reply
        .code(400)
        .send(zohoError('INVALID_DATA', 'invalid If-Modified-Since header', { header: 'If-Modified-Since' }));
    const max = mock.settings.listPerPageMax;
    const now = Date.now();

    let after = 0;
    let skip = 0;
    let perPage = Math.min(max, Number(q.per_page ?? max) || max);
    let page = 1;
    let modifiedSince = since;
    if (q.page_token) {
      const token = decodeToken(q.page_token);
      if (!token || token.expiresAt < now)
        return reply
          .code(400)
          .send(
            zohoError('INVALID_DATA', 'the page_token given is invalid or expired', { param: 'page_token' }),
          );
      ({ after, perPage, since: modifiedSince } = token);
    } else {
      page = Math.max(1, Number(q.page ?? 1) || 1);
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

    const matching: MockRecord[] = [];
    for (const record of mock.store(module).list(after, Number.MAX_SAFE_INTEGER)) {
      if (record.updatedAt > modifiedSince) matching.push(record);
      if (matching.length > skip + perPage) break;
    }
    if (matching.length === 0 && header !== undefined) return reply.code(304).send();
    const rows = matching.slice(skip, skip + perPage);
    if (rows.length === 0) return reply.code(204).send();
    const more = matching.length > skip + perPage;
    const last = rows.at(-1);
    const expiresAt = now + PAGE_TOKEN_TTL_MS;
    const next =
      more && last ? encodeToken({ after: Number(last.id), perPage, since: modifiedSince, expiresAt }) : null;
    return {
      data: rows.map((r) => toZohoRecord(r, fields)),
      info: {
        per_page: perPage,
        count: rows.length,
        page,
        sort_by: 'id',
        sort_order: 'asc',
        more_records: more,
        next_page_token: next,
        previous_page_token: null,
        page_token_expiry: next ? zohoDateTime(expiresAt) : null,
      },
    };
  });
}
