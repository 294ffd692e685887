import type { MockRecord } from '../records.js';
import { accountFieldValue } from './account-schema.js';
import { fieldValue } from './contact-schema.js';
import type { SalesforceMock } from './mock.js';
import { SOBJECTS, specAt } from './soql-fields.js';
import type { Value } from './soql-match.js';
import type { SortKey } from './soql-types.js';

/** How the query engine reaches the records of each object a path may walk through. */
interface ObjectAccess {
  find(mock: SalesforceMock, id: string): MockRecord | undefined;
  idOf(mock: SalesforceMock, record: MockRecord): string;
  value(record: MockRecord, id: string, field: string): Value;
}

const ACCESS: Readonly<Record<string, ObjectAccess>> = {
  Contact: { find: (m, id) => m.findById(id), idOf: (m, r) => m.idOf(r), value: fieldValue },
  Account: {
    find: (m, id) => m.accounts.findById(id),
    idOf: (m, r) => m.accounts.idOf(r),
    value: accountFieldValue,
  },
};

function access(object: string): ObjectAccess {
  const found = ACCESS[object];
  if (!found) throw new Error(`no records for ${object}`);
  return found;
}

/** The record a relationship leads to (Contact -> its Account), or undefined when the reference is empty. */
function related(mock: SalesforceMock, object: string, record: MockRecord, relationship: string) {
  const reference = SOBJECTS[object]?.relationship(relationship);
  if (!reference?.referenceTo) return undefined;
  const from = access(object);
  const id = from.value(record, from.idOf(mock, record), reference.name);
  if (id === null || id === '' || typeof id !== 'string') return undefined;
  const target = access(reference.referenceTo).find(mock, id);
  return target ? { object: reference.referenceTo, record: target } : undefined;
}

/** The value at a field path (`Email`, `Account.Name`) of a Contact; null through an empty reference. */
export function valueAt(mock: SalesforceMock, contact: MockRecord, path: string): Value {
  const segments = path.split('.');
  let at: { object: string; record: MockRecord } | undefined = { object: 'Contact', record: contact };
  for (const relationship of segments.slice(0, -1)) {
    at = at && related(mock, at.object, at.record, relationship);
  }
  if (!at) return null;
  const from = access(at.object);
  const value = from.value(at.record, from.idOf(mock, at.record), segments.at(-1) ?? '');
  return value === '' ? null : value;
}

/**
 * A query row as the REST API returns it: the record's attributes, then the selected fields in
 * order, a relationship's fields nested under its name with that record's own attributes (or
 * null when the reference is empty), as in "Understanding Relationship Query Results"
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_results.htm).
 */
export function toQueryRecord(
  mock: SalesforceMock,
  version: string,
  contact: MockRecord,
  fields: readonly string[],
): Record<string, unknown> {
  return render(
    mock,
    version,
    'Contact',
    contact,
    fields.map((f) => f.split('.')),
  );
}

function render(
  mock: SalesforceMock,
  version: string,
  object: string,
  record: MockRecord,
  paths: readonly string[][],
): Record<string, unknown> {
  const from = access(object);
  const id = from.idOf(mock, record);
  const out: Record<string, unknown> = {
    attributes: { type: object, url: `/services/data/${version}/sobjects/${object}/${id}` },
  };
  const nested = new Map<string, string[][]>();
  for (const [head = '', ...rest] of paths) {
    if (rest.length === 0) {
      const value = from.value(record, id, head);
      out[head] = value === '' ? null : value;
      continue;
    }
    // The key goes in at the first field through it, so the row keeps the SELECT order.
    if (!nested.has(head)) out[head] = null;
    nested.set(head, [...(nested.get(head) ?? []), rest]);
  }
  for (const [relationship, rest] of nested) {
    const target = related(mock, object, record, relationship);
    out[relationship] = target ? render(mock, version, target.object, target.record, rest) : null;
  }
  return out;
}

/**
 * Orders two values of a field as ORDER BY does: "sorting is case insensitive" for text (ids,
 * which differ by case, keep it), null first unless `nullsLast`
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_orderby.htm).
 */
export function compareForSort(key: SortKey, a: Value, b: Value): number {
  const nullsLast = key.nulls === undefined ? key.descending : key.nulls === 'last';
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null ? -1 : 1) * (nullsLast ? -1 : 1);
  }
  const type = specAt(key.field)?.type;
  const caseless = type !== 'id' && type !== 'reference';
  const x = caseless ? String(a).toLowerCase() : String(a);
  const y = caseless ? String(b).toLowerCase() : String(b);
  return (x < y ? -1 : x > y ? 1 : 0) * (key.descending ? -1 : 1);
}
