import type { MockRecord } from '../records.js';
import type { ObjectType } from './mock.js';
import { compareValues, filterPredicate, type SearchValues } from './search-filter.js';
import { SEARCH_DEFAULT_PAGE, SEARCH_MAX_RESULTS, type SearchRequest } from './search-request.js';

// "Search guide" is developers.hubspot.com/docs/api-reference/search/guide.

/**
 * The properties a `query` looks in, per object: the search guide's "Search default searchable
 * properties" table. (The guide adds that phone numbers are matched on HubSpot's normalised
 * `hs_searchable_calculated_*` copies; the mock matches the stored text.)
 */
export const QUERY_PROPERTIES: Readonly<Record<ObjectType, readonly string[]>> = {
  contacts: [
    'firstname',
    'lastname',
    'email',
    'phone',
    'hs_additional_emails',
    'fax',
    'mobilephone',
    'company',
    'hs_marketable_until_renewal',
  ],
  companies: ['website', 'phone', 'name', 'domain'],
  deals: ['dealname', 'pipeline', 'dealstage', 'description', 'dealtype'],
};

/**
 * The property values search sees: stored ones plus the system properties, dates in ms. Filters
 * and sorts name properties freely, so the object has no prototype: `constructor` finds nothing.
 */
export function searchableValues(record: MockRecord): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, record.properties, {
    hs_object_id: record.id,
    createdate: String(record.createdAt),
    lastmodifieddate: String(record.updatedAt),
    hs_lastmodifieddate: String(record.updatedAt),
  });
}

/**
 * Which records the body's filters and query let through. The search guide: filters in one
 * group are AND-ed, groups are OR-ed; a `query` finds "records that have a value containing the
 * specified string" in a default searchable property (case-insensitive: its example "x" finds an
 * "X"), and applies together with the filters.
 */
function recordFilter(req: SearchRequest, queryProperties: readonly string[]) {
  const groups = (req.filterGroups ?? [])
    .map((g) => (g.filters ?? []).map(filterPredicate))
    .filter((g) => g.length > 0);
  const query = req.query?.toLowerCase();
  return (values: SearchValues) => {
    if (groups.length > 0 && !groups.some((g) => g.every((matches) => matches(values)))) return false;
    if (!query) return true;
    return queryProperties.some((p) => values[p]?.toLowerCase().includes(query) === true);
  };
}

/**
 * The body's sort: one rule ("Only one sorting rule can be applied to any search"), written as
 * `{ propertyName, direction }` or, as @hubspot/api-client's README shows for TypeScript, as a
 * string: `["createdate"]` ascending, `["-createdate"]` descending.
 */
function sortRule(req: SearchRequest): { key: string; descending: boolean } {
  const sort = req.sorts?.[0];
  if (typeof sort === 'string') return { key: sort.replace(/^-/, ''), descending: sort.startsWith('-') };
  // The search guide's default order is "order of object creation (oldest first)": ids ascend with it.
  return { key: sort?.propertyName ?? 'hs_object_id', descending: sort?.direction === 'DESCENDING' };
}

/** Search options that are the mock's settings rather than the request's. */
export interface SearchOptions {
  /** The order of records whose sort values are equal (HubSpot does not document it). */
  readonly ties: 'id' | 'id-descending';
  /** The properties a `query` looks in ({@link QUERY_PROPERTIES} of the object searched). */
  readonly queryProperties: readonly string[];
}

/**
 * Runs a validated CRM search (see invalidSearch): filters and query, then the sort, equal
 * values in id order (`ties` can turn it around so tests prove a client does not depend on
 * it), then a page at the offset `after`; paging stops at 10,000 results while `total` counts
 * them all.
 */
export function search(records: Iterable<MockRecord>, req: SearchRequest, options: SearchOptions) {
  const keep = recordFilter(req, options.queryProperties);
  const hits: { record: MockRecord; values: Record<string, string> }[] = [];
  for (const record of records) {
    const values = searchableValues(record);
    if (keep(values)) hits.push({ record, values });
  }
  const { key, descending } = sortRule(req);
  const tie = options.ties === 'id' ? 1 : -1;
  hits.sort((a, b) => {
    const c = compareValues(a.values[key] ?? '', b.values[key] ?? '');
    return (descending ? -c : c) || tie * compareValues(a.record.id, b.record.id);
  });
  const limit = req.limit ?? SEARCH_DEFAULT_PAGE;
  const offset = Number(req.after ?? 0);
  const page = hits.slice(offset, offset + limit);
  const more = offset + limit < Math.min(hits.length, SEARCH_MAX_RESULTS);
  return {
    total: hits.length,
    page: page.map((h) => h.record),
    nextAfter: more ? String(offset + limit) : undefined,
  };
}
