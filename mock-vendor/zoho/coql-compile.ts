import type { MockRecord } from '../records.js';
import { CoqlError, type Token } from './coql-lexer.js';
import { COQL_LIMITS, limitExceeded } from './coql-limits.js';
import { type Condition, type CoqlQuery, type Criterion, isJunction, type Literal } from './coql-parser.js';
import { zohoError } from './errors.js';
import { zohoSecond } from './mock.js';
import { moduleFields } from './module-fields.js';
import type { ModuleRules } from './modules.js';

/** How COQL treats a field: text-like (text, email, phone), a datetime, or the record id (bigint). */
type FieldKind = 'text' | 'datetime' | 'bigint';

/** A field's value on one record: text, epoch ms at Zoho's second, or the id; null when empty. */
type Value = string | number | null;

/** A checked query, ready to run over a module's records. */
export interface CoqlPlan {
  /** Selected fields, or the one field COUNT() counts. */
  readonly fields: readonly string[];
  readonly count?: string;
  readonly matches: (record: MockRecord) => boolean;
  readonly order: (a: MockRecord, b: MockRecord) => number;
  readonly limit: number;
  readonly offset: number;
}

// The comparators Get-Records-through-COQL-Query allows per field type ("Field Types and their
// Comparators"): Text/Picklist take =, !=, like, not like, in, not in, is null, is not null;
// Date, DateTime and Number take =, !=, >=, >, <=, <, between, not between, in, not in, is null,
// is not null.
const TEXT_OPERATORS = ['=', '!=', 'like', 'not like', 'in', 'not in', 'is null', 'is not null'];
const ORDERED_OPERATORS = ['=', '!=', '>=', '>', '<=', '<', 'between', 'not between', 'in', 'not in'];
const OPERATORS: Readonly<Record<FieldKind, ReadonlySet<string>>> = {
  text: new Set(TEXT_OPERATORS),
  datetime: new Set([...ORDERED_OPERATORS, 'is null', 'is not null']),
  bigint: new Set([...ORDERED_OPERATORS, 'is null', 'is not null']),
};

// Zoho's date-time literal: to the second with an explicit offset; `...Z` and milliseconds are
// refused as "value given seems to be invalid for the column".
const DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

function columnInvalid(field: string): CoqlError {
  return new CoqlError(
    zohoError('INVALID_QUERY', 'column given seems to be invalid', { column_name: field }),
  );
}

function kindsOf(module: ModuleRules): Map<string, FieldKind> {
  const kinds = new Map<string, FieldKind>([['id', 'bigint']]);
  for (const f of moduleFields(module.apiName))
    kinds.set(f.api_name, f.data_type === 'datetime' ? 'datetime' : 'text');
  return kinds;
}

/** The value COQL compares for `field` on `record`. */
export function fieldValue(record: MockRecord, field: string): Value {
  if (field === 'id') return Number(record.id);
  if (field === 'Created_Time') return zohoSecond(record.createdAt);
  if (field === 'Modified_Time') return zohoSecond(record.updatedAt);
  const v = record.properties[field];
  return v === undefined || v === '' ? null : v;
}

/** A literal as the field's type; Zoho's INVALID_QUERY when it is not one (body seen from Zoho: expected_data_type, column_name). */
function typed(literal: Literal, field: string, kind: FieldKind): string | number {
  if (kind === 'text') return literal.text.toLowerCase();
  const ms =
    kind === 'datetime' && literal.kind === 'string' && DATETIME.test(literal.text)
      ? Date.parse(literal.text)
      : NaN;
  if (kind === 'datetime' && !Number.isNaN(ms)) return ms;
  if (kind === 'bigint' && literal.kind !== 'word' && /^\d+$/.test(literal.text)) return Number(literal.text);
  throw new CoqlError(
    zohoError('INVALID_QUERY', 'value given seems to be invalid for the column', {
      expected_data_type: kind,
      column_name: field,
    }),
  );
}

/** `%` stands for any run of characters (COQL-Overview's like); everything else is literal. */
function likePattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*');
  return new RegExp(`^${escaped}$`, 'is');
}

/**
 * One criterion as a test on a record. Text compares without regard to case (an assumption: the
 * COQL pages do not say). An empty field matches only `is null`; like SQL, it fails `!=`,
 * `not in`, `not like` and `not between` too (also not documented by Zoho).
 */
function predicate(c: Criterion, kind: FieldKind): (value: Value) => boolean {
  const norm = (v: Value) => (typeof v === 'string' ? v.toLowerCase() : v);
  const present = (test: (v: string | number) => boolean) => (v: Value) => {
    const n = norm(v);
    return n !== null && test(n);
  };
  switch (c.kind) {
    case 'null':
      return (v) => (v === null) !== c.negated;
    case 'compare': {
      const target = typed(c.value, c.field, kind);
      const tests: Record<string, (v: string | number) => boolean> = {
        '=': (v) => v === target,
        '!=': (v) => v !== target,
        '<': (v) => v < target,
        '>': (v) => v > target,
        '<=': (v) => v <= target,
        '>=': (v) => v >= target,
      };
      return present(tests[c.comparator] as (v: string | number) => boolean);
    }
    case 'like': {
      const re = likePattern(c.pattern.text);
      return present((v) => re.test(String(v)) !== c.negated);
    }
    case 'in': {
      if (c.values.length > COQL_LIMITS.inValues)
        throw limitExceeded(
          'where',
          COQL_LIMITS.inValues,
          `more than ${COQL_LIMITS.inValues} values in ${c.operator}`,
        );
      const set = new Set(c.values.map((l) => typed(l, c.field, kind)));
      return present((v) => set.has(v) !== c.negated);
    }
    case 'between': {
      const low = typed(c.low, c.field, kind);
      const high = typed(c.high, c.field, kind);
      return present((v) => (v >= low && v <= high) !== c.negated);
    }
  }
}

function criteria(where: Condition): Criterion[] {
  return isJunction(where) ? [...criteria(where.left), ...criteria(where.right)] : [where];
}

function compileWhere(where: Condition, kinds: Map<string, FieldKind>): (record: MockRecord) => boolean {
  if (isJunction(where)) {
    const left = compileWhere(where.left, kinds);
    const right = compileWhere(where.right, kinds);
    return where.kind === 'and' ? (r) => left(r) && right(r) : (r) => left(r) || right(r);
  }
  const kind = kinds.get(where.field);
  if (!kind) throw columnInvalid(where.field);
  // An operator the field's type does not take (examples "InvalidQueryInvalidOperator", "...IsNullOperator").
  if (!OPERATORS[kind].has(where.operator))
    throw new CoqlError(
      zohoError('INVALID_QUERY', 'Invalid query formed', {
        reason: 'invalid operator found',
        column_name: where.field,
        operator: where.operator,
      }),
    );
  const test = predicate(where, kind);
  return (record) => test(fieldValue(record, where.field));
}

/** A LIMIT or OFFSET token as a whole number; Zoho's INVALID_QUERY when it is not one ("InvalidQueryInvalidLimit"). */
function whole(token: Token, name: 'limit' | 'offset'): number {
  if (token.kind === 'number' && /^\d+$/.test(token.text)) return Number(token.text);
  throw new CoqlError(
    zohoError('INVALID_QUERY', `${name} given seems to be invalid`, { [name]: token.text }),
  );
}

function paging(query: CoqlQuery): { limit: number; offset: number } {
  const limit = query.limit ? whole(query.limit, 'limit') : COQL_LIMITS.defaultLimit;
  const offset = query.offset ? whole(query.offset, 'offset') : 0;
  // Zoho's answer to LIMIT 0 (example "InvalidDataLimitZero").
  if (limit === 0) throw new CoqlError(zohoError('INVALID_DATA', 'limit should be greater than 0'));
  if (limit > COQL_LIMITS.maxLimit)
    throw limitExceeded('limit', COQL_LIMITS.maxLimit, `limit cannot exceed ${COQL_LIMITS.maxLimit}`);
  if (offset + limit > COQL_LIMITS.reachableRecords)
    throw limitExceeded('offset', COQL_LIMITS.reachableRecords, 'Max records limit exceeded');
  return { limit, offset };
}

/**
 * Checks a parsed query against `module` as Zoho does and compiles it: every column must be one
 * of the module's fields, each criterion's operator and values must suit the field's type, and
 * the documented limits hold. Throws CoqlError with Zoho's body otherwise.
 */
export function compileCoql(query: CoqlQuery, module: ModuleRules): CoqlPlan {
  const kinds = kindsOf(module);
  if (query.columns.length > COQL_LIMITS.selectColumns)
    throw limitExceeded(
      'select',
      COQL_LIMITS.selectColumns,
      `more than ${COQL_LIMITS.selectColumns} select columns`,
    );
  const seen = new Set<string>();
  for (const c of query.columns) {
    if (!kinds.has(c.field)) throw columnInvalid(c.field);
    // Example "DuplicateData" in Zoho's COQL API spec.
    if (seen.has(c.field))
      throw new CoqlError(zohoError('DUPLICATE_DATA', 'duplicate select column', { column_name: c.field }));
    seen.add(c.field);
  }
  const counted = query.columns.filter((c) => c.count);
  // COUNT with plain columns needs GROUP BY, which the mock does not emulate: it answers with
  // Zoho's generic INVALID_QUERY (example "InvalidQueryEmptyDetails").
  if (counted.length > 0 && counted.length !== query.columns.length)
    throw new CoqlError(zohoError('INVALID_QUERY', 'Invalid query formed'));
  const count = counted[0]?.field;
  // COUNT takes number, lookup and picklist fields only (Get-Records-through-COQL-Query, COUNT);
  // of the mock's fields that is the id.
  if (count !== undefined && kinds.get(count) !== 'bigint')
    throw new CoqlError(
      zohoError('INVALID_QUERY', 'data type not supported', {
        column_name: count,
        data_type: kinds.get(count),
      }),
    );
  if (criteria(query.where).length > COQL_LIMITS.whereCriteria)
    throw limitExceeded(
      'where',
      COQL_LIMITS.whereCriteria,
      `more than ${COQL_LIMITS.whereCriteria} criteria`,
    );
  const matches = compileWhere(query.where, kinds);
  if (query.orderBy.length > COQL_LIMITS.orderByFields)
    throw limitExceeded(
      'order by',
      COQL_LIMITS.orderByFields,
      `more than ${COQL_LIMITS.orderByFields} order by fields`,
    );
  for (const o of query.orderBy) if (!kinds.has(o.field)) throw columnInvalid(o.field);
  return {
    fields: query.columns.map((c) => c.field),
    ...(count === undefined ? {} : { count }),
    matches,
    order: ordering(query.orderBy),
    ...paging(query),
  };
}

/**
 * The ORDER BY, then the id ascending, which is also Zoho's order without one (COQL-Overview:
 * "By default, the system sorts the records in ascending order based on the record ID").
 * Empty values sort first ascending, as in SQL (not documented by Zoho).
 */
function ordering(orderBy: CoqlQuery['orderBy']): (a: MockRecord, b: MockRecord) => number {
  const keys = [...orderBy, { field: 'id', descending: false }];
  return (a, b) => {
    for (const { field, descending } of keys) {
      const x = fieldValue(a, field);
      const y = fieldValue(b, field);
      const nx = typeof x === 'string' ? x.toLowerCase() : x;
      const ny = typeof y === 'string' ? y.toLowerCase() : y;
      if (nx === ny) continue;
      const less = nx === null || (ny !== null && nx < ny);
      return (less ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  };
}
