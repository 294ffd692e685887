import type { SearchFilter } from './search-request.js';

// How one search filter matches a record. "Search guide" is
// developers.hubspot.com/docs/api-reference/search/guide, section "Filter search results".
// The mock keeps no property definitions, so a property's type is read from its value: digits
// are a number, an ISO 8601 date is a date (compared as epoch ms, the form HubSpot's date
// filters take), anything else is a string. Enumeration properties, which the guide says are
// matched case-sensitively, are therefore matched like strings.

/** The property values of one record as search sees them. */
export type SearchValues = Readonly<Record<string, string>>;

const NUMBER = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * A value as search compares it: numbers and dates as numbers; strings lowercased, since the
 * guide says "Values in filters are case-insensitive".
 */
export function comparable(v: string): number | string {
  if (NUMBER.test(v)) return Number(v);
  if (ISO_DATE.test(v)) {
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return ms;
  }
  return v.toLowerCase();
}

/** Orders two values: numerically when both are numbers or dates, else as lowercased text. */
export function compareValues(a: string, b: string): number {
  const x = comparable(a);
  const y = comparable(b);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
}

/**
 * IN's exact match. The guide: "When searching a string property with this operator, values
 * must be lowercase", i.e. HubSpot compares the lowercased stored value with each listed value
 * as given, so a listed value with a capital letter never matches a string property.
 */
function listedIn(actual: string, values: readonly string[]): boolean {
  const x = comparable(actual);
  return values.some((v) => {
    const y = comparable(v);
    if (typeof x === 'number' && typeof y === 'number') return x === y;
    return actual.toLowerCase() === v;
  });
}

function words(value: string): string[] {
  return value
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/**
 * CONTAINS_TOKEN: the guide says "Contains a token ... you can use wildcards (*) to complete a
 * partial search", e.g. `*@hubspot.com` for HubSpot email addresses. It does not say how values
 * are cut into tokens; the mock cuts at whitespace (which keeps an email one token, as that
 * example needs), and a value of several words must match that many consecutive tokens.
 */
function tokenMatcher(value: string): (actual: string) => boolean {
  const patterns = words(value).map(
    (w) => new RegExp(`^${w.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`),
  );
  return (actual) => {
    if (patterns.length === 0) return false;
    const tokens = words(actual);
    for (let i = 0; i + patterns.length <= tokens.length; i++) {
      if (patterns.every((p, j) => p.test(tokens[i + j] ?? ''))) return true;
    }
    return false;
  };
}

/**
 * The predicate of one filter, built once per search. The negative operators (NEQ, NOT_IN,
 * NOT_CONTAINS_TOKEN) also match records without the property; the guide does not say.
 */
export function filterPredicate(f: SearchFilter): (values: SearchValues) => boolean {
  const name = f.propertyName ?? '';
  const value = f.value ?? '';
  const has = (values: SearchValues) => {
    const v = values[name];
    return v !== undefined && v !== '' ? v : undefined;
  };
  const compared = (test: (c: number) => boolean) => (values: SearchValues) => {
    const v = has(values);
    return v !== undefined && test(compareValues(v, value));
  };
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return (values) => has(values) !== undefined;
    case 'NOT_HAS_PROPERTY':
      return (values) => has(values) === undefined;
    case 'EQ':
      return compared((c) => c === 0);
    case 'NEQ': {
      const eq = compared((c) => c === 0);
      return (values) => !eq(values);
    }
    case 'LT':
      return compared((c) => c < 0);
    case 'LTE':
      return compared((c) => c <= 0);
    case 'GT':
      return compared((c) => c > 0);
    case 'GTE':
      return compared((c) => c >= 0);
    case 'BETWEEN': {
      // The guide: "Within the specified range", `value` to `highValue`, both ends included.
      const high = f.highValue ?? '';
      return (values) => {
        const v = has(values);
        return v !== undefined && compareValues(v, value) >= 0 && compareValues(v, high) <= 0;
      };
    }
    case 'IN':
      return (values) => {
        const v = has(values);
        return v !== undefined && listedIn(v, f.values ?? []);
      };
    case 'NOT_IN':
      return (values) => {
        const v = has(values);
        return v === undefined || !listedIn(v, f.values ?? []);
      };
    case 'CONTAINS_TOKEN': {
      const contains = tokenMatcher(value);
      return (values) => {
        const v = has(values);
        return v !== undefined && contains(v);
      };
    }
    case 'NOT_CONTAINS_TOKEN': {
      const contains = tokenMatcher(value);
      return (values) => {
        const v = has(values);
        return v === undefined || !contains(v);
      };
    }
    default:
      return () => false;
  }
}
