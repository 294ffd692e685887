import type { SearchFilter, SearchRequest } from './search-request.js';
import { isObject, jacksonToken } from './write-body.js';

// A search body read as HubSpot's deserialiser (Jackson) reads it, before search-request.ts checks
// its limits: scalars are coerced where a string or an integer belongs, and anything else in the
// wrong place is "Invalid input JSON" with Jackson's complaint (the pattern write-body.ts quotes;
// these class names are the SDK's models, the server's are not public [unverified]).

type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const refused = (type: string, value: unknown, at: string): Read<never> => ({
  ok: false,
  message: `Invalid input JSON: Cannot deserialize value of type \`${type}\` from ${jacksonToken(value)} (through reference chain: ${at})`,
});

function text(value: unknown, at: string): Read<string | undefined> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value === 'string') return ok(value);
  if (typeof value === 'number' || typeof value === 'boolean') return ok(String(value));
  return refused('java.lang.String', value, at);
}

function list<T>(
  value: unknown,
  type: string,
  at: string,
  item: (v: unknown, at: string) => Read<T>,
): Read<T[] | undefined> {
  if (value === undefined || value === null) return ok(undefined);
  if (!Array.isArray(value)) return refused(`java.util.ArrayList<${type}>`, value, at);
  const out: T[] = [];
  for (const [i, v] of value.entries()) {
    const read = item(v, `${at}[${i}]`);
    if (!read.ok) return read;
    out.push(read.value);
  }
  return ok(out);
}

function strings(value: unknown, at: string): Read<string[] | undefined> {
  return list(value, 'java.lang.String', at, (v, where) => {
    const read = text(v, where);
    return read.ok ? ok(read.value ?? '') : read;
  });
}

/** An integer as Jackson coerces one: a number (fractions cut off) or a string of digits. */
function integer(value: unknown, at: string): Read<number | undefined> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value === 'number' && Number.isFinite(value)) return ok(Math.trunc(value));
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return ok(Number(value));
  if (typeof value === 'string') {
    return {
      ok: false,
      message: `Invalid input JSON: Cannot deserialize value of type \`int\` from String "${value.slice(0, 100)}": not a valid \`int\` value (through reference chain: ${at})`,
    };
  }
  return refused('int', value, at);
}

function filter(value: unknown, at: string): Read<SearchFilter> {
  if (!isObject(value)) return refused('Filter', value, at);
  const out: SearchFilter = {};
  for (const key of ['propertyName', 'operator', 'value', 'highValue'] as const) {
    const read = text(value[key], `${at}["${key}"]`);
    if (!read.ok) return read;
    if (read.value !== undefined) out[key] = read.value;
  }
  const values = strings(value.values, `${at}["values"]`);
  if (!values.ok) return values;
  if (values.value !== undefined) out.values = values.value;
  return ok(out);
}

function group(value: unknown, at: string): Read<{ filters?: SearchFilter[] }> {
  if (!isObject(value)) return refused('FilterGroup', value, at);
  const filters = list(value.filters, 'Filter', `${at}["filters"]`, filter);
  if (!filters.ok) return filters;
  return ok(filters.value === undefined ? {} : { filters: filters.value });
}

function sort(value: unknown, at: string): Read<string | { propertyName?: string; direction?: string }> {
  if (typeof value === 'string') return ok(value);
  if (!isObject(value)) return refused('PublicSort', value, at);
  const out: { propertyName?: string; direction?: string } = {};
  for (const key of ['propertyName', 'direction'] as const) {
    const read = text(value[key], `${at}["${key}"]`);
    if (!read.ok) return read;
    if (read.value !== undefined) out[key] = read.value;
  }
  return ok(out);
}

/**
 * The body of `POST /crm/v3/objects/{type}/search` as typed values, or the "Invalid input JSON"
 * message of HubSpot's 400. A `filterGroups` that is not an array is left to invalidSearch, which
 * words it as HubSpot does for its set.
 */
export function readSearchBody(body: unknown): Read<SearchRequest> {
  const root = 'PublicObjectSearchRequest';
  if (!isObject(body)) return refused(root, body, root);
  const out: SearchRequest = {};
  const query = text(body.query, `${root}["query"]`);
  if (!query.ok) return query;
  if (query.value !== undefined) out.query = query.value;
  const limit = integer(body.limit, `${root}["limit"]`);
  if (!limit.ok) return limit;
  if (limit.value !== undefined) out.limit = limit.value;
  const after = text(body.after, `${root}["after"]`);
  if (!after.ok) return after;
  if (after.value !== undefined) out.after = after.value;
  const properties = strings(body.properties, `${root}["properties"]`);
  if (!properties.ok) return properties;
  if (properties.value !== undefined) out.properties = properties.value;
  const sorts = list(body.sorts, 'PublicSort', `${root}["sorts"]`, sort);
  if (!sorts.ok) return sorts;
  if (sorts.value !== undefined) out.sorts = sorts.value;
  if (Array.isArray(body.filterGroups)) {
    const groups = list(body.filterGroups, 'FilterGroup', `${root}["filterGroups"]`, group);
    if (!groups.ok) return groups;
    if (groups.value !== undefined) out.filterGroups = groups.value;
  } else if (body.filterGroups !== undefined && body.filterGroups !== null) {
    out.filterGroups = body.filterGroups as NonNullable<SearchRequest['filterGroups']>;
  }
  return ok(out);
}
