import { dateLiteralRange } from './soql-dates.js';
import type { Condition, Expression, Literal, Operator, Scalar, SoqlQuery } from './soql-types.js';

/** A field's value as the mock reads it: text (datetimes in Salesforce's format), a flag, or null. */
export type Value = string | boolean | null;

const TESTS: Readonly<Record<Exclude<Operator, 'LIKE' | 'IN' | 'NOT IN'>, (cmp: number) => boolean>> = {
  '=': (cmp) => cmp === 0,
  '!=': (cmp) => cmp !== 0,
  '<': (cmp) => cmp < 0,
  '<=': (cmp) => cmp <= 0,
  '>': (cmp) => cmp > 0,
  '>=': (cmp) => cmp >= 0,
};

/**
 * Whether a record (read through `get`, by field path) meets the WHERE clause at `now` (date
 * literals are days of the mock's clock). Text compares without case, as Salesforce compares
 * every field that is not unique and case-sensitive (the comparison operators page); a null
 * (or empty) value equals only null and differs from everything else.
 */
export function matches(query: SoqlQuery, get: (field: string) => Value, now = Date.now()): boolean {
  return query.where.every((e) => holds(e, get, now));
}

function holds(e: Expression, get: (field: string) => Value, now: number): boolean {
  if ('and' in e) return e.and.every((x) => holds(x, get, now));
  if ('or' in e) return e.or.some((x) => holds(x, get, now));
  if ('not' in e) return !holds(e.not, get, now);
  const value = get(e.field);
  return test(e, value === '' ? null : value, now);
}

function test(c: Condition, value: Value, now: number): boolean {
  const literal: Literal = c.value;
  if (literal.kind === 'pattern') return value !== null && literal.regex.test(String(value));
  if (literal.kind === 'list') {
    const found = literal.values.some((v) => compares('=', value, v, now));
    return c.op === 'IN' ? found : !found;
  }
  return compares(c.op as keyof typeof TESTS, value, literal, now);
}

function compares(op: keyof typeof TESTS, value: Value, literal: Scalar, now: number): boolean {
  if (literal.kind === 'dateLiteral') {
    const ms = value === null ? Number.NaN : instant(value);
    if (!Number.isFinite(ms)) return op === '!=';
    const { start, end } = dateLiteralRange(literal.name, literal.n, now);
    // = is within the range, < before its start, > after its end (soql-dates.ts).
    const cmp = ms < start ? -1 : ms >= end ? 1 : 0;
    return TESTS[op](cmp);
  }
  const cmp = compare(value, literal);
  return cmp === undefined ? op === '!=' : TESTS[op](cmp);
}

function compare(a: Value, b: Scalar): number | undefined {
  if (b.kind === 'null') return a === null ? 0 : undefined;
  if (a === null) return undefined;
  switch (b.kind) {
    case 'datetime':
    case 'date': {
      const ms = instant(a);
      return Number.isFinite(ms) ? ms - b.value : undefined;
    }
    case 'boolean':
      return a === b.value ? 0 : 1;
    // Ids differ by case alone (001A... is not 001a...).
    case 'id':
      return order(String(a), b.value);
    case 'string':
      return order(String(a).toLowerCase(), b.value.toLowerCase());
    default:
      return undefined;
  }
}

function order(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A datetime (2026-01-02T03:04:05.000+0000) or date (2026-01-02) value as epoch ms. */
function instant(value: Value): number {
  return Date.parse(String(value).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}
