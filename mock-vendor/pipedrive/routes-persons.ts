import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MockRecord } from '../records.js';
import { pipedriveError, validationError } from './errors.js';
import type { PipedriveMock } from './mock.js';
import {
  type ListQuery as FilterQuery,
  listed,
  readId,
  readLimit,
  readListFilters,
  SEARCH_FIELDS,
} from './person-query.js';
import { orgIdOf, propsFromWriteBody, toApiPerson, toSearchItem } from './persons.js';

interface ListQuery extends FilterQuery {
  cursor?: string;
  limit?: string;
  sort_by?: string;
  sort_direction?: string;
}

interface SearchQuery {
  term?: string;
  fields?: string;
  exact_match?: string;
  organization_id?: string;
  limit?: string;
  cursor?: string;
}

type IdParams = { id: string };
type Position = [key: number, id: number];

const NOT_AN_OBJECT = 'body must be a JSON object';

const toSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

// Times sort as Pipedrive shows them, to the second (v2Time), with the id breaking ties: rows
// within one second come in a stable order a client can page through, never by hidden ms.
const SORT_KEYS: Readonly<Record<string, (r: MockRecord) => number>> = {
  id: (r) => Number(r.id),
  update_time: (r) => toSecond(r.updatedAt),
  add_time: (r) => toSecond(r.createdAt),
};

// The cursor is opaque to clients; here it is the (sort key, id) of the last row served.
function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** A cursor this mock issued: two whole numbers, neither negative; undefined for anything else. */
function decodeCursor(cursor: string): Position | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const whole = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
    return Array.isArray(value) && value.length === 2 && value.every(whole) ? (value as Position) : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON object a write carries, or undefined when the body is another JSON value. */
function objectBody(body: unknown): Record<string, unknown> | undefined {
  if (body === undefined || body === null) return {};
  return typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

function bad(reply: FastifyReply, message: string) {
  return reply.code(400).send(validationError(message));
}

function notFound(reply: FastifyReply) {
  return reply.code(404).send(pipedriveError('Person not found'));
}

/** /api/v2/persons: list (cursor), search, get, create, patch, delete. */
export function registerPersonRoutes(app: FastifyInstance, mock: PipedriveMock): void {
  const ownerId = mock.settings.userId;
  const person = (r: MockRecord) => toApiPerson(r, mock.fields, ownerId);
  const find = (id: string) => (/^\d+$/.test(id) ? mock.persons.get(id) : undefined);

  app.get<{ Querystring: ListQuery }>('/api/v2/persons', async (req, reply) => {
    const q = req.query;
    const limit = readLimit(q.limit, mock.settings.listMaxLimit);
    if (typeof limit === 'string') return bad(reply, limit);
    const filters = readListFilters(q);
    if (typeof filters === 'string') return bad(reply, filters);
    const sortKey = SORT_KEYS[q.sort_by ?? 'id'];
    if (!sortKey) return bad(reply, 'sort_by must be one of id, update_time, add_time');
    const direction = q.sort_direction ?? 'asc';
    if (direction !== 'asc' && direction !== 'desc') return bad(reply, 'sort_direction must be asc or desc');
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (q.cursor !== undefined && !after) return bad(reply, 'cursor is not valid');
    const filter = filters.filterId === undefined ? undefined : mock.filters.get(filters.filterId);
    // An unknown or non-people filter: 404 and 400 with the mock's wording (unverified).
    if (filters.filterId !== undefined && !filter)
      return reply.code(404).send(pipedriveError('Filter not found'));
    if (filter && filter.type !== 'people')
      return reply.code(400).send(pipedriveError(`Filter ${filter.id} is not a people filter`));

    const sign = direction === 'asc' ? 1 : -1;
    const compare = (a: Position, b: Position) => sign * (a[0] - b[0] || a[1] - b[1]);
    const rows = mock.persons
      .list(0, Number.POSITIVE_INFINITY)
      .filter((r) => listed(r, filters, filter, ownerId))
      .map((r) => ({ r, pos: [sortKey(r), Number(r.id)] as Position }))
      .filter((x) => after === undefined || compare(x.pos, after) > 0)
      .sort((a, b) => compare(a.pos, b.pos));
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      success: true,
      data: page.map((x) => toApiPerson(x.r, mock.fields, ownerId, filters.customKeys)),
      additional_data: { next_cursor: rows.length > limit && last ? encodeCursor(last.pos) : null },
    };
  });

  // Search: term of at least 2 characters, or 1 with exact_match, which matches the whole value
  // without regard to case; fields default to all of them; organization_id narrows to one
  // organization's persons (SDK PersonsApiSearchPersonsRequest).
  app.get<{ Querystring: SearchQuery }>('/api/v2/persons/search', async (req, reply) => {
    const q = req.query;
    if (q.exact_match !== undefined && q.exact_match !== 'true' && q.exact_match !== 'false')
      return bad(reply, 'exact_match must be true or false');
    const exact = q.exact_match === 'true';
    const term = q.term ?? '';
    if (term.length < (exact ? 1 : 2)) {
      return bad(reply, 'term must be at least 2 characters long (1 with exact_match)');
    }
    const limit = readLimit(q.limit, mock.settings.listMaxLimit);
    if (typeof limit === 'string') return bad(reply, limit);
    const orgId = readId(q.organization_id, 'organization_id');
    if (typeof orgId === 'string') return bad(reply, orgId);
    const fields = (q.fields ?? SEARCH_FIELDS.join(',')).split(',').map((f) => f.trim());
    const unknown = fields.find((f) => !(SEARCH_FIELDS as readonly string[]).includes(f));
    if (unknown !== undefined) return bad(reply, `fields must be among ${SEARCH_FIELDS.join(', ')}`);
    const needle = term.toLowerCase();
    const matches = (value: string | undefined) =>
      value !== undefined && (exact ? value.toLowerCase() === needle : value.toLowerCase().includes(needle));
    let found: MockRecord[];
    if (exact && fields.length === 1 && fields[0] === 'email') {
      // The upsert path: an indexed lookup, so a storm does not scan the whole book per write.
      const hit = mock.persons.findBy('email', term);
      found = hit ? [hit] : [];
    } else {
      found = mock.persons.list(0, Number.POSITIVE_INFINITY).filter((r) => {
        const p = r.properties;
        return (
          (fields.includes('name') && matches(p.name)) ||
          (fields.includes('email') && matches(p.email)) ||
          (fields.includes('phone') && matches(p.phone)) ||
          (fields.includes('custom_fields') && mock.fields.customKeys().some((k) => matches(p[k])))
        );
      });
    }
    if (orgId !== undefined) found = found.filter((r) => orgIdOf(r) === orgId);
    const at = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (q.cursor !== undefined && !at) return bad(reply, 'cursor is not valid');
    const start = at?.[1] ?? 0;
    const page = found.slice(start, start + limit);
    const more = found.length > start + limit;
    return {
      success: true,
      data: { items: page.map((r) => toSearchItem(r, ownerId)) },
      additional_data: { next_cursor: more ? encodeCursor([0, start + limit]) : null },
    };
  });

  app.get<{ Params: IdParams }>('/api/v2/persons/:id', async (req, reply) => {
    const record = find(req.params.id);
    if (!record) return notFound(reply);
    return { success: true, data: person(record) };
  });

  // A body that is not a JSON object fails Pipedrive's schema like any other field [unverified wording].
  app.post<{ Body: unknown }>('/api/v2/persons', async (req, reply) => {
    const body = objectBody(req.body);
    if (!body) return bad(reply, NOT_AN_OBJECT);
    if (typeof body.name !== 'string' || body.name.trim().length === 0) return bad(reply, 'name is required');
    const props = propsFromWriteBody(body, mock.fields);
    if (typeof props === 'string') return bad(reply, props);
    return { success: true, data: person(mock.create(props, 'api', Date.now())) };
  });

  app.patch<{ Params: IdParams; Body: unknown }>('/api/v2/persons/:id', async (req, reply) => {
    const record = find(req.params.id);
    if (!record) return notFound(reply);
    const body = objectBody(req.body);
    if (!body) return bad(reply, NOT_AN_OBJECT);
    const props = propsFromWriteBody(body, mock.fields);
    if (typeof props === 'string') return bad(reply, props);
    return { success: true, data: person(mock.update(record, props, 'api', Date.now())) };
  });

  app.delete<{ Params: IdParams }>('/api/v2/persons/:id', async (req, reply) => {
    const record = find(req.params.id);
    if (!record) return notFound(reply);
    mock.delete(record.id, 'api', Date.now());
    return { success: true, data: { id: Number(record.id) } };
  });
}
