import type { MockRecord } from '../records.js';

export interface SearchFilter {
  propertyName?: string;
  operator?: string;
  value?: string;
  values?: string[];
  highValue?: string;
}

export interface SearchRequest {
  query?: string;
  limit?: number;
  after?: string;
  sorts?: (string | { propertyName?: string; direction?: string })[];
  properties?: string[];
  filterGroups?: { filters?: SearchFilter[] }[];
}

/** HubSpot's documented search caps (shared/vendors.md §1.2). */
export const SEARCH_MAX_PAGE = 200;
export const SEARCH_MAX_RESULTS = 10_000;
const MAX_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 6;

/** The property values search sees: stored ones plus the system properties, dates in ms. */
export function searchableValues(record: MockRecord): Record<string, string> {
  return {
    ...record.properties,
    hs_object_id: record.id,
    createdate: String(record.createdAt),
    lastmodifieddate: String(record.updatedAt),
    hs_lastmodifieddate: String(record.updatedAt),
  };
}

// HubSpot accepts dates as ms epoch or ISO strings; numbers compare as numbers.
function comparable(v: string): number | string {
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  const date = Date.parse(v);
  return /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(date) ? date : v.toLowerCase();
}

function compare(a: string, b: string): number {
  const x = comparable(a);
  const y = comparable(b);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
}

function matches(values: Record<string, string>, f: SearchFilter): boolean {
  const actual = f.propertyName === undefined ? undefined : values[f.propertyName];
  const value = f.value ?? '';
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return actual !== undefined && actual !== '';
    case 'NOT_HAS_PROPERTY':
      return actual === undefined || actual === '';
    case 'EQ':
      return actual !== undefined && compare(actual, value) === 0;
    case 'NEQ':
      return actual === undefined || compare(actual, value) !== 0;
    case 'LT':
      return actual !== undefined && compare(actual, value) < 0;
    case 'LTE':
      return actual !== undefined && compare(actual, value) <= 0;
    case 'GT':
      return actual !== undefined && compare(actual, value) > 0;
    case 'GTE':
      return actual !== undefined && compare(actual, value) >= 0;
    case 'BETWEEN':
      return actual !== undefined && compare(actual, value) >= 0 && compare(actual, f.highValue ?? '') <= 0;
    case 'IN':
      return actual !== undefined && (f.values ?? []).some((v) => compare(actual, v) === 0);
    case 'NOT_IN':
      return actual === undefined || !(f.values ?? []).some((v) => compare(actual, v) === 0);
    case 'CONTAINS_TOKEN':
      return actual?.toLowerCase().includes(value.replace(/\*/g, '').toLowerCase()) === true;
    case 'NOT_CONTAINS_TOKEN':
      return actual === undefined || !actual.toLowerCase().includes(value.replace(/\*/g, '').toLowerCase());
    default:
      return false;
  }
}

/** Validates a search body the way HubSpot does; returns the message of its 400 or undefined. */
export function invalidSearch(req: SearchRequest): string | undefined {
  const groups = req.filterGroups ?? [];
  if (groups.length > MAX_GROUPS) return `Too many filter groups: ${groups.length} (max ${MAX_GROUPS})`;
  for (const g of groups) {
    if ((g.filters ?? []).length > MAX_FILTERS_PER_GROUP)
      return `Too many filters in a group (max ${MAX_FILTERS_PER_GROUP})`;
    for (const f of g.filters ?? []) {
      if (!f.propertyName || !f.operator) return 'Each filter needs a propertyName and an operator';
    }
  }
  if ((req.limit ?? 10) > SEARCH_MAX_PAGE) return `limit must be at most ${SEARCH_MAX_PAGE}`;
  const offset = Number(req.after ?? 0);
  if (!Number.isInteger(offset) || offset < 0) return 'after must be a non-negative integer offset';
  if (offset + (req.limit ?? 10) > SEARCH_MAX_RESULTS) {
    return `Search results are capped at ${SEARCH_MAX_RESULTS}; narrow the filters (e.g. by lastmodifieddate) instead of paging further`;
  }
  return undefined;
}

/**
 * Runs a CRM search: filter groups are OR-ed, filters within a group AND-ed; sorted by the first
 * sort (default hs_object_id ascending), equal values in id order (`ties`: HubSpot does not
 * document its tie order, so tests can turn it around); paged by an offset `after`, capped at
 * 10,000 results.
 */
export function search(
  records: Iterable<MockRecord>,
  req: SearchRequest,
  ties: 'id' | 'id-descending' = 'id',
) {
  const groups = (req.filterGroups ?? []).filter((g) => (g.filters ?? []).length > 0);
  const query = req.query?.toLowerCase();
  const hits: { record: MockRecord; values: Record<string, string> }[] = [];
  for (const record of records) {
    const values = searchableValues(record);
    if (groups.length > 0 && !groups.some((g) => (g.filters ?? []).every((f) => matches(values, f))))
      continue;
    if (query && !Object.values(values).some((v) => v.toLowerCase().includes(query))) continue;
    hits.push({ record, values });
  }
  const sort = req.sorts?.[0];
  const key = typeof sort === 'string' ? sort.replace(/^-/, '') : (sort?.propertyName ?? 'hs_object_id');
  const descending = typeof sort === 'string' ? sort.startsWith('-') : sort?.direction === 'DESCENDING';
  const tie = ties === 'id' ? 1 : -1;
  hits.sort((a, b) => {
    const c = compare(a.values[key] ?? '', b.values[key] ?? '');
    return (descending ? -c : c) || tie * compare(a.record.id, b.record.id);
  });
  const limit = req.limit ?? 10;
  const offset = Number(req.after ?? 0);
  const page = hits.slice(offset, offset + limit);
  const more = offset + limit < Math.min(hits.length, SEARCH_MAX_RESULTS);
  return {
    total: hits.length,
    page: page.map((h) => h.record),
    nextAfter: more ? String(offset + limit) : undefined,
  };
}
