import { contactField } from './contact-schema.js';

/**
 * The SOQL the mock understands: SELECT <fields> FROM Contact [WHERE a op v [AND ...]]
 * [ORDER BY f [ASC|DESC] [, ...]] [LIMIT n]. Anything else is MALFORMED_QUERY (or INVALID_FIELD /
 * INVALID_TYPE), as Salesforce would answer it.
 */
export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'datetime'; value: number }
  | { kind: 'number'; value: number }
  | { kind: 'null' }
  | { kind: 'boolean'; value: boolean };

export interface Condition {
  readonly field: string;
  readonly op: Operator;
  readonly value: Literal;
}

export interface SortKey {
  readonly field: string;
  readonly descending: boolean;
}

export interface SoqlQuery {
  readonly fields: readonly string[];
  readonly where: readonly Condition[];
  readonly orderBy: SortKey | undefined;
  /** Further sort keys, for ties on the first (ORDER BY LastModifiedDate, Id); absent when none. */
  readonly thenBy?: readonly SortKey[];
  readonly limit: number | undefined;
}

export class SoqlError extends Error {
  constructor(
    readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE',
    message: string,
  ) {
    super(message);
  }
}

const TOKEN =
  /\s*(?:('(?:[^'\\]|\\.)*')|(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))|(!=|<=|>=|[=<>,()])|([A-Za-z_][\w.]*)|(-?\d+(?:\.\d+)?))/y;

function tokenize(soql: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < soql.length) {
    if (/^\s*$/.test(soql.slice(i))) break;
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(soql);
    if (!m)
      throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${soql.slice(i).trim().split(/\s/)[0]}'`);
    tokens.push(m[0].trim());
    i = TOKEN.lastIndex;
  }
  return tokens;
}

function field(name: string | undefined): string {
  if (name === undefined) throw new SoqlError('MALFORMED_QUERY', 'unexpected end of query');
  const proper = name === undefined ? undefined : contactField(name);
  if (!proper) {
    throw new SoqlError(
      'INVALID_FIELD',
      `No such column '${name ?? ''}' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
    );
  }
  return proper;
}

function literal(token: string | undefined): Literal {
  if (token === undefined) throw new SoqlError('MALFORMED_QUERY', 'unexpected end of query');
  if (token.startsWith("'")) return { kind: 'string', value: token.slice(1, -1).replace(/\\(.)/g, '$1') };
  if (/^\d{4}-/.test(token))
    return { kind: 'datetime', value: Date.parse(token.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) };
  if (/^-?\d/.test(token)) return { kind: 'number', value: Number(token) };
  const word = token.toLowerCase();
  if (word === 'null') return { kind: 'null' };
  if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
  throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${token}'`);
}

export function parseSoql(soql: string): SoqlQuery {
  const t = tokenize(soql);
  let i = 0;
  const word = (w: string) => t[i]?.toUpperCase() === w;
  const expect = (w: string) => {
    if (!word(w))
      throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${t[i] ?? 'end of query'}', expected ${w}`);
    i++;
  };
  expect('SELECT');
  const fields: string[] = [];
  for (;;) {
    const f = field(t[i++]);
    if (!fields.includes(f)) fields.push(f);
    if (t[i] !== ',') break;
    i++;
  }
  expect('FROM');
  const object = t[i++];
  if (object?.toLowerCase() !== 'contact')
    throw new SoqlError('INVALID_TYPE', `sObject type '${object ?? ''}' is not supported.`);
  const where: Condition[] = [];
  if (word('WHERE')) {
    i++;
    for (;;) {
      const f = field(t[i++]);
      const op = t[i++];
      if (!op || !['=', '!=', '<', '<=', '>', '>='].includes(op))
        throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${op ?? 'end of query'}'`);
      where.push({ field: f, op: op as Operator, value: literal(t[i++]) });
      if (!word('AND')) break;
      i++;
    }
  }
  const orderBy: SortKey[] = [];
  if (word('ORDER')) {
    i++;
    expect('BY');
    for (;;) {
      const f = field(t[i++]);
      let descending = false;
      if (word('ASC') || word('DESC')) descending = t[i++]?.toUpperCase() === 'DESC';
      orderBy.push({ field: f, descending });
      if (t[i] !== ',') break;
      i++;
    }
  }
  let limit: number | undefined;
  if (word('LIMIT')) {
    i++;
    const n = Number(t[i++]);
    if (!Number.isInteger(n) || n < 0)
      throw new SoqlError('MALFORMED_QUERY', 'LIMIT must be a non-negative integer');
    limit = n;
  }
  if (i < t.length) throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${t[i]}'`);
  const [first, ...then] = orderBy;
  return { fields, where, orderBy: first, ...(then.length > 0 ? { thenBy: then } : {}), limit };
}

type Value = string | boolean | null;

const TESTS: Readonly<Record<Operator, (cmp: number) => boolean>> = {
  '=': (cmp) => cmp === 0,
  '!=': (cmp) => cmp !== 0,
  '<': (cmp) => cmp < 0,
  '<=': (cmp) => cmp <= 0,
  '>': (cmp) => cmp > 0,
  '>=': (cmp) => cmp >= 0,
};

function compare(a: Value, b: Literal): number | undefined {
  if (b.kind === 'null') return a === null ? 0 : undefined;
  if (a === null) return undefined;
  if (b.kind === 'datetime') {
    const ms = Date.parse(String(a).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    return Number.isFinite(ms) ? ms - b.value : undefined;
  }
  if (b.kind === 'number') return Number(a) - b.value;
  if (b.kind === 'boolean') return a === b.value ? 0 : 1;
  const x = String(a).toLowerCase();
  const y = b.value.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether a record (read through `get`) meets every condition; SOQL string equality ignores case. */
export function matches(query: SoqlQuery, get: (field: string) => Value): boolean {
  return query.where.every((c) => {
    const value = get(c.field);
    const cmp = compare(value === '' ? null : value, c.value);
    if (cmp === undefined) return c.op === '!=';
    return TESTS[c.op](cmp);
  });
}
