import type { MockRecord } from '../records.js';
import type { SalesforceMock } from './mock.js';
import { compareForSort, valueAt } from './query-records.js';
import { matches, type Value } from './soql-match.js';
import type { Aggregate, SoqlQuery } from './soql-types.js';

/** What a query answers before paging: a count alone, aggregate rows, or Contact records in order. */
export type QueryAnswer =
  | { readonly kind: 'count'; readonly totalSize: number }
  | { readonly kind: 'aggregate'; readonly rows: readonly Record<string, unknown>[] }
  | { readonly kind: 'records'; readonly records: readonly MockRecord[] };

/**
 * Runs a parsed query over the org's Contacts (with `all`, queryAll, the Recycle Bin's too) at
 * `now`: filter, sort, then OFFSET and LIMIT ("OFFSET ... skip[s] the first rows" of the result,
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_offset.htm).
 */
export function executeQuery(mock: SalesforceMock, query: SoqlQuery, all: boolean, now: number): QueryAnswer {
  // queryAll also reads the Recycle Bin: deleted records with IsDeleted = true.
  const scanned = all
    ? [...mock.contacts.list(0, Number.MAX_SAFE_INTEGER), ...mock.deletedSince(0, now)]
    : mock.contacts.list(0, Number.MAX_SAFE_INTEGER);
  const found = scanned.filter((record) => matches(query, (path) => valueAt(mock, record, path), now));
  const start = query.offset ?? 0;
  const window = <T>(rows: readonly T[]) =>
    rows.slice(start, query.limit === undefined ? undefined : start + query.limit);
  // "For COUNT(), the size field of the QueryResult object returns the number of rows"; "you can
  // use COUNT() with a LIMIT clause" (the COUNT page).
  if (query.count) return { kind: 'count', totalSize: window(found).length };
  if (query.aggregates)
    return { kind: 'aggregate', rows: window([aggregateRow(mock, found, query.aggregates)]) };
  return { kind: 'records', records: window(sorted(mock, query, found)) };
}

function sorted(mock: SalesforceMock, query: SoqlQuery, found: MockRecord[]): MockRecord[] {
  const keys = query.orderBy ? [query.orderBy, ...(query.thenBy ?? [])] : [];
  if (keys.length === 0) return found;
  const keyed = found.map((r) => ({ r, values: keys.map((k) => valueAt(mock, r, k.field)) }));
  keyed.sort((a, b) => {
    for (const [i, key] of keys.entries()) {
      const cmp = compareForSort(key, a.values[i] ?? null, b.values[i] ?? null);
      if (cmp !== 0) return cmp;
    }
    return 0;
  });
  return keyed.map((k) => k.r);
}

/**
 * The one AggregateResult row of an aggregate query without GROUP BY. COUNT(f) counts the rows
 * with a value for f, COUNT_DISTINCT(f) its distinct values (text without case), MIN and MAX
 * order as ORDER BY does and are null over no values
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_agg_functions.htm).
 */
function aggregateRow(mock: SalesforceMock, found: readonly MockRecord[], aggregates: readonly Aggregate[]) {
  const row: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
  for (const a of aggregates) {
    const values = found
      .map((r) => valueAt(mock, r, a.field))
      .filter((v): v is Exclude<Value, null> => v !== null);
    row[a.alias] = aggregate(a, values);
  }
  return row;
}

function aggregate(a: Aggregate, values: readonly Exclude<Value, null>[]): unknown {
  switch (a.fn) {
    case 'COUNT':
      return values.length;
    case 'COUNT_DISTINCT':
      return new Set(values.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))).size;
    default: {
      const key = { field: a.field, descending: a.fn === 'MAX' };
      return values.reduce<Value>(
        (best, v) => (best === null || compareForSort(key, v, best) < 0 ? v : best),
        null,
      );
    }
  }
}
