import { resolveField } from './soql-fields.js';
import { type Token, TokenStream, tokenize } from './soql-lexer.js';
import type { Aggregate, AggregateFunction, SoqlQuery, SortKey } from './soql-types.js';
import { parseWhere } from './soql-where.js';

export { SoqlError } from './soql-error.js';
export { matches } from './soql-match.js';
export type { Condition, Expression, Literal, Operator, SoqlQuery, SortKey } from './soql-types.js';

/**
 * The SOQL the mock answers, from Contact (and its parent Account through Account.<field>):
 *
 *     SELECT fields | COUNT() | COUNT(f), COUNT_DISTINCT(f), MIN(f), MAX(f) [alias]
 *     FROM Contact [WHERE conditions] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...]
 *     [LIMIT n] [OFFSET n]
 *
 * with =, !=, <>, <, <=, >, >=, LIKE, IN, NOT IN, AND, OR, NOT and parentheses, and date
 * literals (soql-dates.ts). Anything else is refused with the error Salesforce gives it
 * (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, INVALID_QUERY_FILTER_OPERATOR,
 * NUMBER_OUTSIDE_VALID_RANGE); what Salesforce runs and the mock does not (GROUP BY, subqueries,
 * TYPEOF, FOR UPDATE...) is MALFORMED_QUERY with a message saying so.
 * Reference: https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm
 */
export function parseSoql(soql: string): SoqlQuery {
  const s = new TokenStream(soql, tokenize(soql));
  s.expect('SELECT');
  const select = parseSelectList(s);
  s.expect('FROM');
  parseFrom(s);
  refuseUnsupported(s);
  const where = s.accept('WHERE') ? parseWhere(s) : [];
  refuseUnsupported(s);
  const orderToken = s.peek();
  const order = s.accept('ORDER') ? parseOrderBy(s) : [];
  const limit = s.accept('LIMIT') ? rowCount(s) : undefined;
  const offset = s.accept('OFFSET') ? offsetCount(s) : undefined;
  refuseUnsupported(s);
  if (!s.done) throw s.unexpected();
  checkAggregation(s, select, order, orderToken);
  const [first, ...then] = order;
  return {
    fields: select.fields,
    where,
    orderBy: first,
    ...(then.length > 0 ? { thenBy: then } : {}),
    limit,
    ...(offset !== undefined ? { offset } : {}),
    ...(select.count ? { count: true as const } : {}),
    ...(select.aggregates.length > 0 ? { aggregates: select.aggregates } : {}),
  };
}

interface SelectList {
  fields: string[];
  /** Where each plain field was written, to point at it in an error. */
  fieldTokens: Token[];
  aggregates: Aggregate[];
  /** Aggregates without an alias so far: the next is expr<unnamed>. */
  unnamed: number;
  count: boolean;
}

const AGGREGATES = new Set<string>(['COUNT', 'COUNT_DISTINCT', 'MIN', 'MAX']);

function parseSelectList(s: TokenStream): SelectList {
  const list: SelectList = { fields: [], fieldTokens: [], aggregates: [], unnamed: 0, count: false };
  do {
    // "COUNT() must be the only element in the SELECT list"
    // (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_count.htm).
    if (list.count) throw s.unexpected(s.peek(-1));
    parseSelectItem(s, list);
  } while (s.accept(','));
  return list;
}

function parseSelectItem(s: TokenStream, list: SelectList): void {
  if (s.accept('(')) throw childSubquery(s);
  const token = s.next();
  if (token.kind !== 'word') throw s.unexpected(token);
  if (token.text.toUpperCase() === 'TYPEOF') {
    throw s.error('MALFORMED_QUERY', 'TYPEOF is not supported by the mock org', token);
  }
  if (!s.accept('(')) {
    const field = resolveField(s, token).path;
    if (!list.fields.includes(field)) {
      list.fields.push(field);
      list.fieldTokens.push(token);
    }
    return;
  }
  const fn = token.text.toUpperCase();
  if (fn === 'COUNT' && s.accept(')')) {
    if (list.fields.length > 0 || list.aggregates.length > 0) throw s.unexpected(token);
    list.count = true;
    return;
  }
  if (fn === 'SUM' || fn === 'AVG') {
    // The mock org has no number, currency or percent field, the only kinds these accept
    // [unverified text].
    const field = resolveField(s, s.next());
    throw s.error('INVALID_FIELD', `field ${field.path} does not support aggregate operator ${fn}`, token);
  }
  if (!AGGREGATES.has(fn))
    throw s.error('MALFORMED_QUERY', `${token.text}() is not supported by the mock org`, token);
  const field = resolveField(s, s.next()).path;
  s.expect(')');
  // Unnamed aggregates are expr0, expr1...: "the implied alias for the aggregated field" (COUNT page).
  const named = s.peek()?.kind === 'word' && !s.isWord('FROM');
  const alias = named ? s.next().text : `expr${list.unnamed++}`;
  list.aggregates.push({ fn: fn as AggregateFunction, field, alias });
}

/**
 * A child relationship subquery, `(SELECT ... FROM Cases)`. The mock's Contact describes no child
 * relationships, and for one an org does not have Salesforce answers INVALID_TYPE "Didn't
 * understand relationship 'X' in FROM part of query call" (as live orgs answer it).
 */
function childSubquery(s: TokenStream) {
  while (!s.done && !s.isWord('FROM')) s.next();
  s.expect('FROM');
  const name = s.next();
  return s.error(
    'INVALID_TYPE',
    `Didn't understand relationship '${name.text}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
    name,
  );
}

/**
 * Only Contact is a query root: Account is read through Contact.Account (describeAccount says it
 * is not queryable), and for an object the user cannot query Salesforce answers INVALID_TYPE.
 */
function parseFrom(s: TokenStream): void {
  const object = s.next();
  if (object.kind !== 'word' || object.text.toLowerCase() !== 'contact') {
    throw s.error(
      'INVALID_TYPE',
      `sObject type '${object.text}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      object,
    );
  }
}

// Clauses Salesforce runs and the mock does not, at the places SOQL's grammar allows them:
// USING SCOPE, WITH, GROUP BY, HAVING, FOR VIEW/REFERENCE/UPDATE, UPDATE TRACKING/VIEWSTAT.
const UNSUPPORTED: Readonly<Record<string, string>> = {
  USING: 'USING SCOPE',
  WITH: 'WITH',
  GROUP: 'GROUP BY',
  HAVING: 'HAVING',
  FOR: 'FOR VIEW, FOR REFERENCE and FOR UPDATE',
  UPDATE: 'UPDATE TRACKING and UPDATE VIEWSTAT',
};

function refuseUnsupported(s: TokenStream): void {
  const token = s.peek();
  const clause = token?.kind === 'word' ? UNSUPPORTED[token.text.toUpperCase()] : undefined;
  if (clause) throw s.error('MALFORMED_QUERY', `${clause} is not supported by the mock org`, token);
}

/** ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ... */
function parseOrderBy(s: TokenStream): SortKey[] {
  s.expect('BY');
  const keys: SortKey[] = [];
  do {
    const token = s.next();
    if (token.kind !== 'word') throw s.unexpected(token);
    if (s.isPunct('('))
      throw s.error('MALFORMED_QUERY', `ORDER BY ${token.text}() is not supported by the mock org`, token);
    const field = resolveField(s, token).path;
    const descending = s.accept('DESC');
    if (!descending) s.accept('ASC');
    let nulls: 'first' | 'last' | undefined;
    if (s.accept('NULLS')) {
      if (s.accept('FIRST')) nulls = 'first';
      else if (s.accept('LAST')) nulls = 'last';
      else throw s.unexpected();
    }
    keys.push({ field, descending, ...(nulls ? { nulls } : {}) });
  } while (s.accept(','));
  return keys;
}

/**
 * A LIMIT or OFFSET count: a non-negative integer literal, else MALFORMED_QUERY (`LIMIT abc`).
 * The SOQL reference gives LIMIT no maximum
 * (developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_limit.htm),
 * so `LIMIT 100000000` runs whole; the REST query returns it in batches of at most 2,000 rows
 * (help.salesforce.com article 000386264, "Maximum number of rows returned by SOQL queries over the
 * REST API"). The REST resources take no `limit` query parameter; an unknown one is ignored
 * [unverified].
 */
function rowCount(s: TokenStream): number {
  const token = s.next();
  const n = Number(token.text);
  if (token.kind !== 'number' || !Number.isInteger(n) || n < 0) throw s.unexpected(token);
  return n;
}

/**
 * "The maximum offset is 2,000 rows. Requesting an offset greater than 2,000 results in a
 * NUMBER_OUTSIDE_VALID_RANGE error"
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_offset.htm);
 * the message is the one live orgs give.
 */
function offsetCount(s: TokenStream): number {
  const token = s.peek();
  const n = rowCount(s);
  if (n > 2000) throw s.error('NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000', token);
  return n;
}

/**
 * Without GROUP BY (which the mock lacks) an aggregate query may select nothing but aggregates
 * and order by none of its fields, and "you can't use COUNT() with an ORDER BY clause" (COUNT
 * page); the messages are the ones live orgs give [unverified for COUNT() with ORDER BY].
 */
function checkAggregation(
  s: TokenStream,
  select: SelectList,
  order: SortKey[],
  orderToken: Token | undefined,
) {
  if (select.aggregates.length > 0 && select.fieldTokens[0]) {
    const field = select.fieldTokens[0];
    throw s.error('MALFORMED_QUERY', `Field must be grouped or aggregated: ${select.fields[0]}`, field);
  }
  const ordered = order[0];
  if (!ordered) return;
  if (select.count) throw s.error('MALFORMED_QUERY', 'COUNT() cannot be used with ORDER BY', orderToken);
  if (select.aggregates.length > 0) {
    throw s.error(
      'MALFORMED_QUERY',
      `Ordered field must be grouped or aggregated: ${ordered.field}`,
      orderToken,
    );
  }
}
