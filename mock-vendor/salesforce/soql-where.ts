import { to18 } from './ids.js';
import { isDateLiteral } from './soql-dates.js';
import { type ResolvedField, resolveField } from './soql-fields.js';
import { decodeString, likePattern, type Token, type TokenStream } from './soql-lexer.js';
import type { Condition, Expression, Literal, Operator, Scalar } from './soql-types.js';

const COMPARISONS: Readonly<Record<string, Operator>> = {
  '=': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};
const TEXT_TYPES = new Set(['string', 'email', 'phone', 'url']);

/** The WHERE clause as its top-level conjuncts (SoqlQuery.where). */
export function parseWhere(s: TokenStream): Expression[] {
  const e = parseCondition(s);
  return 'and' in e ? [...e.and] : [e];
}

/**
 * AND, OR and NOT: "Parentheses are required whenever you mix the operators"
 * (https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-logicaloperators.html).
 * `a AND b OR c` is MALFORMED_QUERY "unexpected token: OR" (a live answer:
 * https://life-improver.com/salesforce/salesforce-unexpected-token-or/), and NOT takes one term
 * alone: `a AND NOT b` is "unexpected token: 'NOT'" where `a AND (NOT b)` runs
 * (https://github.com/jetstreamapp/soql-parser-js/issues/201).
 */
function parseCondition(s: TokenStream): Expression {
  // What follows a NOT term, or the other joiner after a run of one, is left for the caller,
  // which finds it unexpected (a closing parenthesis or the end of the WHERE clause is due).
  if (s.accept('NOT')) return { not: parseTerm(s) };
  const first = parseTerm(s);
  const joiner = s.isWord('AND') ? 'AND' : s.isWord('OR') ? 'OR' : undefined;
  if (!joiner) return first;
  const terms = [first];
  while (s.accept(joiner)) {
    if (s.isWord('NOT')) throw s.unexpected();
    terms.push(parseTerm(s));
  }
  return joiner === 'AND' ? { and: terms } : { or: terms };
}

function parseTerm(s: TokenStream): Expression {
  if (!s.accept('(')) return parseFieldExpression(s);
  const inner = parseCondition(s);
  s.expect(')');
  return inner;
}

function parseFieldExpression(s: TokenStream): Condition {
  const token = s.next();
  if (token.kind !== 'word') throw s.unexpected(token);
  if (s.isPunct('(')) {
    throw s.error('MALFORMED_QUERY', `${token.text}() in WHERE is not supported by the mock org`, token);
  }
  const field = resolveField(s, token);
  const opToken = s.next();
  const op = operator(s, opToken);
  if (op === 'LIKE') return { field: field.path, op, value: pattern(s, field, s.next()) };
  if (op === 'IN' || op === 'NOT IN') return { field: field.path, op, value: list(s, field) };
  return { field: field.path, op, value: scalar(s, field, s.next()) };
}

function operator(s: TokenStream, token: Token): Operator {
  if (token.kind === 'op') return COMPARISONS[token.text] as Operator;
  const word = token.kind === 'word' ? token.text.toUpperCase() : '';
  if (word === 'LIKE' || word === 'IN') return word;
  if (word === 'NOT' && s.accept('IN')) return 'NOT IN';
  // The mock org has no multi-select picklist, the only kind of field these apply to
  // [unverified code and text].
  if (word === 'INCLUDES' || word === 'EXCLUDES') {
    throw s.error(
      'INVALID_QUERY_FILTER_OPERATOR',
      'includes or excludes operator only valid on multipicklist field',
      token,
    );
  }
  throw s.unexpected(token);
}

/** "The LIKE operator is supported for string fields only" (the comparison operators page). */
function pattern(s: TokenStream, field: ResolvedField, token: Token): Literal {
  const type = field.spec.type;
  // Live orgs answer LIKE on an Id "INVALID_QUERY_FILTER_OPERATOR: invalid operator on id field".
  if (type === 'id' || type === 'reference') {
    throw s.error('INVALID_QUERY_FILTER_OPERATOR', 'invalid operator on id field', token);
  }
  if (token.kind !== 'string') throw s.unexpected(token);
  if (!TEXT_TYPES.has(type)) throw mismatch(s, field, token);
  return { kind: 'pattern', value: token.text.slice(1, -1), regex: likePattern(token, s.soql) };
}

function list(s: TokenStream, field: ResolvedField): Literal {
  s.expect('(');
  if (s.isWord('SELECT')) {
    throw s.error('MALFORMED_QUERY', 'semi-join and anti-join subqueries are not supported by the mock org');
  }
  const values: Scalar[] = [scalar(s, field, s.next())];
  while (s.accept(',')) values.push(scalar(s, field, s.next()));
  s.expect(')');
  return { kind: 'list', values };
}

/** A single value, which must suit the field's type as Salesforce requires. */
function scalar(s: TokenStream, field: ResolvedField, token: Token): Scalar {
  const written = literal(s, token);
  if (written.kind === 'null') return written;
  const type = field.spec.type;
  if (TEXT_TYPES.has(type) && written.kind === 'string') return written;
  if ((type === 'id' || type === 'reference') && written.kind === 'string')
    return id(s, written.value, token);
  if (type === 'datetime' && (written.kind === 'datetime' || written.kind === 'dateLiteral')) return written;
  if (type === 'date' && (written.kind === 'date' || written.kind === 'dateLiteral')) return written;
  if (type === 'boolean' && written.kind === 'boolean') return written;
  throw mismatch(s, field, token);
}

/** A literal as written, before it meets its field. */
function literal(s: TokenStream, token: Token): Scalar | { kind: 'number' } {
  switch (token.kind) {
    case 'string':
      return { kind: 'string', value: decodeString(token, s.soql) };
    case 'datetime':
      return { kind: 'datetime', value: instant(s, token, token.text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) };
    case 'date':
      return { kind: 'date', value: instant(s, token, token.text) };
    case 'number':
      return { kind: 'number' };
    case 'word':
      return word(s, token);
    default:
      throw s.unexpected(token);
  }
}

function word(s: TokenStream, token: Token): Scalar {
  const upper = token.text.toUpperCase();
  if (upper === 'NULL') return { kind: 'null' };
  if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
  const [name = '', n] = upper.split(':');
  if (n === undefined && isDateLiteral(name, false)) return { kind: 'dateLiteral', name };
  if (n !== undefined && isDateLiteral(name, true)) return { kind: 'dateLiteral', name, n: Number(n) };
  throw s.unexpected(token);
}

/** The instant a datetime or date literal names; one that does not exist is MALFORMED_QUERY. */
function instant(s: TokenStream, token: Token, text: string): number {
  const ms = Date.parse(text);
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  // Date.parse rolls 2026-02-30 over to March 2: the calendar date must exist as written.
  if (!Number.isFinite(ms) || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d)
    throw s.unexpected(token);
  return ms;
}

/**
 * An id literal in its 18-character form; a string that is no id is INVALID_QUERY_FILTER_OPERATOR
 * "invalid ID field: <value>", as live orgs answer it [unverified in the docs].
 */
function id(s: TokenStream, value: string, token: Token): Scalar {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value)) {
    throw s.error('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${value}`, token);
  }
  return { kind: 'id', value: value.length === 15 ? to18(value) : value };
}

/**
 * A value of the wrong type for its field, e.g. a quoted datetime: "value of filter criterion for
 * field 'CreatedDate' must be of type dateTime and should not be enclosed in quotes"
 * [unverified: the text and its INVALID_FIELD code as live orgs answer them].
 */
function mismatch(s: TokenStream, field: ResolvedField, token: Token) {
  const type = field.spec.type;
  const name = TEXT_TYPES.has(type)
    ? 'string'
    : type === 'reference'
      ? 'id'
      : type === 'datetime'
        ? 'dateTime'
        : type;
  const quoted = TEXT_TYPES.has(type) || type === 'id' || type === 'reference';
  return s.error(
    'INVALID_FIELD',
    `value of filter criterion for field '${field.path}' must be of type ${name} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
    token,
  );
}
