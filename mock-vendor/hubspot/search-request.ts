// The CRM search request body and the limits HubSpot checks before it searches. "Search guide"
// below is developers.hubspot.com/docs/api-reference/search/guide (v3 paths; the same text as
// /docs/api-reference/latest/crm/search-the-crm, last modified March 30, 2026).

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

/** Search guide, "Paging through results": 10 a page unless `limit` says otherwise, at most 200. */
export const SEARCH_DEFAULT_PAGE = 10;
export const SEARCH_MAX_PAGE = 200;
/** Search guide, "Limits": "limited to 10,000 total results ... paging beyond 10,000 will result in a 400". */
export const SEARCH_MAX_RESULTS = 10_000;
/** Search guide, "Limits": "a maximum of five filterGroups with up to six filters in each group, with a maximum of 18 filters in total". */
export const SEARCH_MAX_GROUPS = 5;
export const SEARCH_MAX_FILTERS_PER_GROUP = 6;
export const SEARCH_MAX_FILTERS = 18;
/** Search guide, "Limits": "A query can contain a maximum of 3,000 characters" (the spec: "The search query string, up to 3000 characters"). */
export const SEARCH_MAX_QUERY_CHARS = 3000;

// HubSpot's deserialiser answers a malformed body with "Invalid input JSON on line 1, column N: "
// and the parser's complaint (hubspot-api-nodejs#128, #226, hubspot-api-python#71). The mock has
// no parser position to report, so it keeps the complaint and drops the position.
const INVALID_JSON = 'Invalid input JSON';
const FILTER_CLASS = 'com.hubspot.inbounddb.publicobject.core.v3.search.Filter';

function invalidFilter(f: SearchFilter): string | undefined {
  const unset = (['propertyName', 'operator'] as const).filter((k) => !f[k]);
  if (unset.length > 0) {
    // hubspot-api-nodejs#226: "Cannot build Filter, some of required attributes are not set [propertyName, operator]".
    return `${INVALID_JSON}: Cannot build Filter, some of required attributes are not set [${unset.join(', ')}]`;
  }
  if (f.operator === 'BETWEEN' && f.highValue === undefined) {
    // hubspot-api-nodejs#128, verbatim after the position.
    return `${INVALID_JSON}: Cannot construct instance of \`${FILTER_CLASS}\`, problem: operator BETWEEN requires a highValue`;
  }
  return undefined;
}

// The search guide promises a VALIDATION_ERROR past these limits ("If you've included too many
// groups or filters, you'll receive a VALIDATION_ERROR error response") but no source found
// quotes HubSpot's wording, so these messages are the mock's own: each names the limit and the count.
function tooManyFilters(groups: readonly { filters?: SearchFilter[] }[]): string | undefined {
  if (groups.length > SEARCH_MAX_GROUPS) {
    return `Too many filter groups: ${groups.length}. A search may have at most ${SEARCH_MAX_GROUPS} filterGroups.`;
  }
  let total = 0;
  for (const [i, group] of groups.entries()) {
    const count = group.filters?.length ?? 0;
    if (count > SEARCH_MAX_FILTERS_PER_GROUP) {
      return `Too many filters in filterGroups[${i}]: ${count}. A filter group may have at most ${SEARCH_MAX_FILTERS_PER_GROUP} filters.`;
    }
    total += count;
  }
  if (total > SEARCH_MAX_FILTERS) {
    return `Too many filters: ${total}. A search may have at most ${SEARCH_MAX_FILTERS} filters in total.`;
  }
  return undefined;
}

/**
 * Checks a search body as HubSpot does before searching; returns the message of its 400
 * (category VALIDATION_ERROR) or undefined when the body may run.
 */
export function invalidSearch(req: SearchRequest): string | undefined {
  const groups: unknown = req.filterGroups ?? [];
  // filterGroups is a set on HubSpot's side (hubspot-api-python#71: an object where the array
  // belongs gets "Cannot deserialize instance of `java.util.HashSet` out of START_OBJECT token").
  if (!Array.isArray(groups)) {
    return `${INVALID_JSON}: Cannot deserialize instance of \`java.util.HashSet\` out of START_OBJECT token`;
  }
  const tooMany = tooManyFilters(groups);
  if (tooMany) return tooMany;
  for (const group of groups as { filters?: SearchFilter[] }[]) {
    for (const f of group.filters ?? []) {
      const invalid = invalidFilter(f);
      if (invalid) return invalid;
    }
  }
  // The guide promises a 400 past 3,000 characters, not its wording.
  if ((req.query?.length ?? 0) > SEARCH_MAX_QUERY_CHARS) {
    return `query must be at most ${SEARCH_MAX_QUERY_CHARS} characters`;
  }
  const limit = req.limit ?? SEARCH_DEFAULT_PAGE;
  if (limit > SEARCH_MAX_PAGE) return `limit must be at most ${SEARCH_MAX_PAGE}`;
  // Search guide: "You must format the value in the after parameter as an integer."
  const offset = Number(req.after ?? 0);
  if (!Number.isInteger(offset) || offset < 0) return 'after must be a non-negative integer offset';
  if (offset + limit > SEARCH_MAX_RESULTS) {
    return `Search results are capped at ${SEARCH_MAX_RESULTS}; narrow the filters (e.g. by lastmodifieddate) instead of paging further`;
  }
  return undefined;
}
