import { CoqlError, type Token, tokenize, unexpected } from './coql-lexer.js';
import { zohoError } from './errors.js';

/** A literal as written: quoted text, a bare number, or a bare word (Zoho takes `Lead_Source = Advertisement`). */
export interface Literal {
  readonly kind: 'string' | 'number' | 'word';
  readonly text: string;
}

export type Comparator = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** One criterion of a WHERE clause; `operator` is spelled as Zoho names it in its error details. */
export type Criterion = { readonly field: string; readonly operator: string } & (
  | { readonly kind: 'compare'; readonly comparator: Comparator; readonly value: Literal }
  | { readonly kind: 'like'; readonly negated: boolean; readonly pattern: Literal }
  | { readonly kind: 'in'; readonly negated: boolean; readonly values: readonly Literal[] }
  | { readonly kind: 'between'; readonly negated: boolean; readonly low: Literal; readonly high: Literal }
  | { readonly kind: 'null'; readonly negated: boolean }
);

/** Two conditions joined by `and` or `or`. */
export interface Junction {
  readonly kind: 'and' | 'or';
  readonly left: Condition;
  readonly right: Condition;
}

export type Condition = Criterion | Junction;

export function isJunction(c: Condition): c is Junction {
  return c.kind === 'and' || c.kind === 'or';
}

export type Column = { readonly field: string; readonly count?: true };

/** A parsed `select ... from ... where ... order by ... limit ...`, not yet checked against the module. */
export interface CoqlQuery {
  readonly columns: readonly Column[];
  readonly module: string;
  readonly where: Condition;
  readonly orderBy: readonly { readonly field: string; readonly descending: boolean }[];
  /** The LIMIT and OFFSET tokens as written; undefined when absent (Zoho's defaults apply). */
  readonly limit?: Token;
  readonly offset?: Token;
}

const COMPARATORS: ReadonlySet<string> = new Set(['=', '!=', '<', '>', '<=', '>=']);

/** Zoho's answer to a query that lacks a clause it requires (example "SyntaxErrorInvalidClause"). */
function missingClause(clause: string): CoqlError {
  return new CoqlError(zohoError('SYNTAX_ERROR', 'missing clause', { clause }));
}

/**
 * Parses a COQL select query the way Zoho reads it (COQL-Overview and Get-Records-through-COQL-Query,
 * v7/v8): keywords in any case; WHERE is mandatory; each level of parentheses joins at most two
 * criteria, so `A and B and C` is refused while `(A and B) and C` is not; there is no `not`
 * operator besides `not in`, `not like` and `not between`; LIMIT takes `n`, `n offset m` or
 * `m, n` (offset first). Joins, aliases, GROUP BY, subqueries and functions other than COUNT are
 * not emulated and fail as syntax errors.
 */
export function parseCoql(query: string): CoqlQuery {
  const p = new Parser(tokenize(query));
  return p.query();
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.i++;
    return token;
  }

  private isWord(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private expectWord(word: string): void {
    if (!this.isWord(word)) throw unexpected(this.peek());
    this.i++;
  }

  private expect(kind: Token['kind']): Token {
    if (this.peek().kind !== kind) throw unexpected(this.peek());
    return this.next();
  }

  query(): CoqlQuery {
    // Zoho answers anything but a select this way (example "SyntaxErrorQueryNotSupported").
    if (!this.isWord('select'))
      throw new CoqlError(zohoError('SYNTAX_ERROR', 'given coql query not supported'));
    this.i++;
    const columns = this.columns();
    if (!this.isWord('from'))
      throw this.peek().kind === 'end' ? missingClause('from') : unexpected(this.peek());
    this.i++;
    const module = this.expect('word').text;
    if (!this.isWord('where')) {
      const clauseEnds = this.peek().kind === 'end' || this.isWord('order') || this.isWord('limit');
      throw clauseEnds ? missingClause('where') : unexpected(this.peek());
    }
    this.i++;
    const where = this.condition();
    const orderBy = this.isWord('order') ? this.orderBy() : [];
    let limit: Token | undefined;
    let offset: Token | undefined;
    if (this.isWord('limit')) {
      this.i++;
      limit = this.next();
      if (this.peek().kind === ',') {
        this.i++;
        offset = limit;
        limit = this.next();
      } else if (this.isWord('offset')) {
        this.i++;
        offset = this.next();
      }
    }
    if (this.peek().kind !== 'end') throw unexpected(this.peek());
    return {
      columns,
      module,
      where,
      orderBy,
      ...(limit ? { limit } : {}),
      ...(offset ? { offset } : {}),
    };
  }

  private columns(): Column[] {
    const columns: Column[] = [];
    do {
      if (columns.length > 0) this.i++;
      const token = this.next();
      // A column may be quoted, which reserved words such as External need (Kaizen #171, question 1).
      if (token.kind === 'string') columns.push({ field: token.text });
      else if (token.kind === 'word' && token.text.toUpperCase() === 'COUNT' && this.peek().kind === '(') {
        this.i++;
        columns.push({ field: this.expect('word').text, count: true });
        this.expect(')');
      } else if (token.kind === 'word' && token.text.toLowerCase() !== 'from')
        columns.push({ field: token.text });
      else throw unexpected(token);
    } while (this.peek().kind === ',');
    return columns;
  }

  private orderBy(): { field: string; descending: boolean }[] {
    this.expectWord('order');
    this.expectWord('by');
    const fields: { field: string; descending: boolean }[] = [];
    do {
      if (fields.length > 0) this.i++;
      const field = this.expect('word').text;
      let descending = false;
      if (this.isWord('asc') || this.isWord('desc')) descending = this.next().text.toLowerCase() === 'desc';
      fields.push({ field, descending });
    } while (this.peek().kind === ',');
    return fields;
  }

  /** One level: a term, optionally joined to one more by `and`/`or`; a third needs parentheses. */
  private condition(): Condition {
    const left = this.term();
    if (!this.isWord('and') && !this.isWord('or')) return left;
    const kind = this.next().text.toLowerCase() as 'and' | 'or';
    const right = this.term();
    if (this.isWord('and') || this.isWord('or')) throw unexpected(this.peek());
    return { kind, left, right };
  }

  private term(): Condition {
    if (this.peek().kind === '(') {
      this.i++;
      const inner = this.condition();
      this.expect(')');
      return inner;
    }
    // Zoho's answer to a bare `not` (example "SyntaxErrorOperator").
    if (this.isWord('not'))
      throw new CoqlError(zohoError('SYNTAX_ERROR', 'operator not supported', { operator: 'not' }));
    return this.criterion();
  }

  private criterion(): Criterion {
    const fieldToken = this.next();
    if (fieldToken.kind !== 'word' && fieldToken.kind !== 'string') throw unexpected(fieldToken);
    const field = fieldToken.text;
    const token = this.peek();
    if (token.kind === 'op') {
      if (!COMPARATORS.has(token.text)) throw unexpected(token);
      this.i++;
      const comparator = token.text as Comparator;
      return { kind: 'compare', field, operator: comparator, comparator, value: this.literal() };
    }
    if (this.isWord('is')) {
      this.i++;
      const negated = this.isWord('not');
      if (negated) this.i++;
      this.expectWord('null');
      return { kind: 'null', field, negated, operator: negated ? 'is not null' : 'is null' };
    }
    const negated = this.isWord('not');
    if (negated) this.i++;
    const word = this.peek();
    const keyword = word.kind === 'word' ? word.text.toLowerCase() : '';
    const operator = `${negated ? 'not ' : ''}${keyword}`;
    if (keyword === 'like') {
      this.i++;
      return { kind: 'like', field, negated, operator, pattern: this.literal() };
    }
    if (keyword === 'in') {
      this.i++;
      this.expect('(');
      const values = [this.literal()];
      while (this.peek().kind === ',') {
        this.i++;
        values.push(this.literal());
      }
      this.expect(')');
      return { kind: 'in', field, negated, operator, values };
    }
    if (keyword === 'between') {
      this.i++;
      const low = this.literal();
      this.expectWord('and');
      return { kind: 'between', field, negated, operator, low, high: this.literal() };
    }
    throw unexpected(word);
  }

  private literal(): Literal {
    const token = this.next();
    if (token.kind === 'string' || token.kind === 'number' || token.kind === 'word')
      return { kind: token.kind, text: token.text };
    throw unexpected(token);
  }
}
