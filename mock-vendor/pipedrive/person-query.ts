import type { MockRecord } from '../records.js';
import { passes, type SavedFilter } from './filters.js';
import { orgIdOf } from './persons.js';

/**
 * The query parameters of GET /api/v2/persons and /api/v2/persons/search, checked as the SDK's
 * PersonsApi documents them (pipedrive 33, from Pipedrive's OpenAPI). Each reader returns the
 * value or the message a 400 ERR_SCHEMA_VALIDATION_FAILED answer carries.
 */

/** The fields search looks in, all of them by default. */
export const SEARCH_FIELDS = ['custom_fields', 'email', 'notes', 'phone', 'name'] as const;
// "Optional comma separated string array of up to 100 entity ids to fetch."
const MAX_IDS = 100;
// custom_fields: "A maximum of 15 keys is allowed."
const MAX_CUSTOM_KEYS = 15;

/** `limit`: 100 when absent, at most `max` ("a maximum value of 500 is allowed"). */
export function readLimit(raw: string | undefined, max: number): number | string {
  if (raw === undefined) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) return 'limit must be a positive integer';
  if (n > max) return `limit must be at most ${max}`;
  return n;
}

/**
 * An RFC 3339 date-time such as 2025-01-01T10:20:00Z (the documented format). Integrators report
 * that live v2 refuses fractional seconds as "not a valid datetime"; the mock still takes them,
 * as test/integration/mock-pipedrive.test.ts pins millisecond bounds.
 */
export function readTime(raw: string | undefined, name: string): number | string | undefined {
  if (raw === undefined) return undefined;
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
  const t = rfc3339.test(raw) ? Date.parse(raw) : Number.NaN;
  return Number.isNaN(t) ? `${name} is not a valid datetime; use RFC 3339 such as 2025-01-01T10:20:00Z` : t;
}

export function readId(raw: string | undefined, name: string): number | string | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return /^\d+$/.test(raw) && n > 0 ? n : `${name} must be a positive integer`;
}

function readList(raw: string | undefined): string[] | undefined {
  return raw === undefined
    ? undefined
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

export interface ListFilters {
  readonly filterId?: number;
  readonly ids?: readonly string[];
  readonly ownerId?: number;
  readonly orgId?: number;
  readonly dealId?: number;
  readonly since?: number;
  readonly until?: number;
  readonly customKeys?: readonly string[];
}

export interface ListQuery {
  filter_id?: string;
  ids?: string;
  owner_id?: string;
  org_id?: string;
  deal_id?: string;
  updated_since?: string;
  updated_until?: string;
  custom_fields?: string;
}

/** The list's filters, or the first parameter that fails Pipedrive's schema. */
export function readListFilters(q: ListQuery): ListFilters | string {
  const filterId = readId(q.filter_id, 'filter_id');
  const ownerId = readId(q.owner_id, 'owner_id');
  const orgId = readId(q.org_id, 'org_id');
  const dealId = readId(q.deal_id, 'deal_id');
  const since = readTime(q.updated_since, 'updated_since');
  const until = readTime(q.updated_until, 'updated_until');
  for (const v of [filterId, ownerId, orgId, dealId, since, until]) if (typeof v === 'string') return v;
  const ids = readList(q.ids);
  if (ids && ids.length > MAX_IDS) return `ids takes at most ${MAX_IDS} ids`;
  if (ids?.some((id) => !/^\d+$/.test(id))) return 'ids must be a comma separated list of integers';
  const customKeys = readList(q.custom_fields);
  if (customKeys && customKeys.length > MAX_CUSTOM_KEYS)
    return `custom_fields takes at most ${MAX_CUSTOM_KEYS} keys`;
  const n = (v: number | string | undefined) => (typeof v === 'number' ? v : undefined);
  const out: Record<string, unknown> = {
    filterId: n(filterId),
    ids,
    ownerId: n(ownerId),
    orgId: n(orgId),
    dealId: n(dealId),
    since: n(since),
    until: n(until),
    customKeys,
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out as ListFilters;
}

/**
 * Whether a person is listed. A filter_id replaces ids, owner_id, org_id and deal_id ("If
 * filter_id is provided, this is ignored"); updated_since is inclusive, updated_until exclusive.
 * The mock emulates no deals, so no person is linked to one and deal_id matches none.
 */
export function listed(
  record: MockRecord,
  f: ListFilters,
  filter: SavedFilter | undefined,
  ownerId: number,
): boolean {
  if (f.since !== undefined && record.updatedAt < f.since) return false;
  if (f.until !== undefined && record.updatedAt >= f.until) return false;
  if (filter) return passes(filter, record, ownerId);
  if (f.ids && !f.ids.includes(record.id)) return false;
  if (f.ownerId !== undefined && f.ownerId !== ownerId) return false;
  if (f.orgId !== undefined && orgIdOf(record) !== f.orgId) return false;
  return f.dealId === undefined;
}
