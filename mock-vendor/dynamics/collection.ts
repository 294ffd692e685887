import type { FastifyReply, FastifyRequest } from 'fastify';
import { DATAVERSE_API_PATH } from '../../harness/vendors/dynamics/profile.js';
import { DATAVERSE_CODES, sendOdataError } from './errors.js';
import { type ColumnType, compileFilter, type EdmType, unknownProperty } from './filter-eval.js';
import { ODataQueryError } from './filter-lexer.js';
import { parseOrderBy } from './filter-parser.js';
import {
  compareNullable,
  lastRowOf,
  type OrderBy,
  pageOf,
  preferences,
  skipToken,
  sortRows,
} from './odata.js';

export type Row = Record<string, unknown>;

/** The service root as the caller reached it: https://<org>.crm.dynamics.com/api/data/v9.2/ */
export function serviceRoot(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? req.hostname}${DATAVERSE_API_PATH}/`;
}

// Query options the Dataverse Web API itself does not support (Learn, query overview,
// "Unsupported OData query options"), answered as practitioners report it: 0x80060888, "The query
// parameter ... is not supported".
const UNSUPPORTED_BY_DATAVERSE = ['$skip', '$search', '$format'];

/**
 * Query options the mock does not implement are refused by name rather than ignored: a client
 * relying on $expand must not get rows that silently lack it.
 */
export function unsupportedOption(query: URLSearchParams, allowed: readonly string[]): Error | undefined {
  for (const key of query.keys()) {
    if (UNSUPPORTED_BY_DATAVERSE.includes(key))
      return new Error(`The query parameter ${key} is not supported`);
    if (key.startsWith('$') && !allowed.includes(key)) {
      return new Error(`The query option '${key}' is not supported by the poc Dataverse mock.`);
    }
  }
  return undefined;
}

/** `$select`; an unknown column is refused as Dataverse refuses it (shared with $filter and $orderby). */
export function parseSelect(
  query: URLSearchParams,
  known: readonly string[],
  entityType: string,
): string[] | Error {
  const raw = query.get('$select');
  if (raw === null || raw.trim() === '') return [];
  const columns = raw.split(',').map((c) => c.trim());
  const unknown = columns.find((c) => !known.includes(c));
  return unknown === undefined ? columns : unknownProperty(unknown, entityType);
}

/** Keeps the selected columns plus the primary key, as Dataverse always returns it. */
export function project(row: Row, select: readonly string[], primaryKey: string): Row {
  if (select.length === 0) return row;
  const out: Row = { [primaryKey]: row[primaryKey] };
  for (const c of select) out[c] = row[c] ?? null;
  return out;
}

export function contextUrl(
  root: string,
  entitySet: string,
  select: readonly string[],
  entity = false,
): string {
  const shape = select.length > 0 ? `(${select.join(',')})` : '';
  return `${root}$metadata#${entitySet}${shape}${entity ? '/$entity' : ''}`;
}

export interface CollectionQuery {
  readonly entitySet: string;
  /** The entity type's logical name, for messages (`contact` for `contacts`). */
  readonly entityType: string;
  readonly primaryKey: string;
  readonly columns: readonly string[];
  /** Column types for $filter's type checks; an untyped table compares values by their look. */
  readonly types?: Readonly<Record<string, EdmType>>;
  readonly maxPageSize: number;
  readonly etag?: (row: Row) => string;
}

// Microsoft.OData.Core's message for a $top it cannot read.
function topOf(query: URLSearchParams): number | undefined {
  const raw = query.get('$top');
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw))
    throw new ODataQueryError(
      `Invalid value '${raw}' for $top query option found. The $top query option requires a non-negative integer value.`,
    );
  return Number(raw);
}

/**
 * GET on an entity set: $filter (filter-*.ts), $orderby, $select, $top, $count, and paging by
 * Prefer odata.maxpagesize with an @odata.nextLink that carries a $skiptoken.
 */
export function sendCollection(
  req: FastifyRequest,
  reply: FastifyReply,
  url: URL,
  rows: Row[],
  q: CollectionQuery,
) {
  const query = url.searchParams;
  const refused = unsupportedOption(query, [
    '$select',
    '$filter',
    '$orderby',
    '$top',
    '$skiptoken',
    '$count',
  ]);
  if (refused) return sendOdataError(reply, 400, DATAVERSE_CODES.badRequest, refused.message);
  const select = parseSelect(query, q.columns, q.entityType);
  if (select instanceof Error) return sendOdataError(reply, 400, DATAVERSE_CODES.badRequest, select.message);
  const typeOf = (column: string): ColumnType | undefined =>
    q.columns.includes(column) ? (q.types?.[column] ?? 'any') : undefined;
  let page: number;
  let last: Record<string, string | null> | undefined;
  let order: OrderBy[];
  let top: number | undefined;
  let selected = rows;
  try {
    const filter = query.get('$filter');
    if (filter)
      selected = selected.filter(compileFilter(filter, query, { entityType: q.entityType, typeOf }));
    // The primary key ends every ordering, as it does in Dataverse's paging: ties keep one order
    // and the paging cookie can name a row exactly (unverified for the real service).
    const orderby = query.get('$orderby');
    order = orderby ? parseOrderBy(orderby, query) : [];
    const unknown = order.find((o) => !typeOf(o.column));
    if (unknown) throw unknownProperty(unknown.column, q.entityType);
    if (!order.some((o) => o.column === q.primaryKey))
      order.push({ column: q.primaryKey, descending: false });
    selected = sortRows([...selected], order);
    top = topOf(query);
    page = pageOf(query.get('$skiptoken'));
    last = lastRowOf(query.get('$skiptoken'));
  } catch (err) {
    return sendOdataError(reply, 400, DATAVERSE_CODES.badRequest, (err as Error).message);
  }
  // "Max page size requests larger than 5,000 are ignored" (Learn, page-results): one above the
  // largest page is as if none was asked, so no Preference-Applied; 0 or no number, too [unverified].
  const preferred = preferences(req.headers.prefer).maxPageSize;
  const asked = preferred !== undefined && preferred <= q.maxPageSize ? preferred : undefined;
  // "Don't use $top with the Prefer: odata.maxpagesize request header. If you include both,
  // $top is ignored." (Learn, page-results)
  if (top !== undefined && !(asked && asked > 0)) selected = selected.slice(0, top);
  const size = Math.min(q.maxPageSize, asked && asked > 0 ? asked : q.maxPageSize);
  const after = last;
  const rest = after
    ? selected.filter((r) => afterRow(r, after, order) > 0)
    : selected.slice((page - 1) * size);
  const slice = rest.slice(0, size);
  const root = serviceRoot(req);
  const body: Row = {
    '@odata.context': contextUrl(root, q.entitySet, select),
    value: slice.map((r) => ({
      ...(q.etag ? { '@odata.etag': q.etag(r) } : {}),
      ...project(r, select, q.primaryKey),
    })),
  };
  // $count=true reports the whole match, capped at 5,000 as Dataverse caps it (unverified).
  if (query.get('$count') === 'true') body['@odata.count'] = Math.min(selected.length, 5000);
  const lastRow = slice.at(-1);
  if (rest.length > size && lastRow) {
    // Written as Dataverse writes it: `$` options kept literal, values percent-encoded.
    const options = [...query].filter(([k]) => k !== '$skiptoken');
    const values = Object.fromEntries(order.map((o) => [o.column, cookieValue(lastRow[o.column])]));
    options.push(['$skiptoken', skipToken(page + 1, values)]);
    const search = options.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    body['@odata.nextLink'] = `${root}${q.entitySet}?${search}`;
  }
  if (asked && asked > 0) void reply.header('preference-applied', `odata.maxpagesize=${size}`);
  return reply.code(200).header('odata-version', '4.0').send(body);
}

function cookieValue(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Where a row sorts against the cookie's last row: > 0 when it comes after it. */
function afterRow(
  row: Row,
  last: Readonly<Record<string, string | null>>,
  order: readonly OrderBy[],
): number {
  for (const o of order) {
    const d = compareNullable(row[o.column], last[o.column] ?? null);
    if (d !== 0) return o.descending ? -d : d;
  }
  return 0;
}
