import { ODataQueryError, syntaxError, type Token, tokenize } from './filter-lexer.js';

export type Comparison = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/** The string functions Dataverse's Web API takes (Learn, filter-rows: "Use OData query functions"). */
export type StringFunction = 'contains' | 'startswith' | 'endswith';

/** The Dataverse query functions the mock emulates, by their short name. */
export type DataverseFunction = 'In' | 'NotIn' | 'Between' | 'NotBetween';

export type FilterNode =
  | { readonly kind: 'property'; readonly name: string; readonly pos: number }
  | { readonly kind: 'literal'; readonly token: Token }
  | {
      readonly kind: 'compare';
      readonly op: Comparison;
      readonly left: FilterNode;
      readonly right: FilterNode;
      readonly pos: number;
    }
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly operand: FilterNode; readonly pos: number }
  | {
      readonly kind: 'function';
      readonly name: StringFunction;
      readonly args: readonly FilterNode[];
      readonly pos: number;
    }
  | {
      readonly kind: 'dataverse';
      readonly name: DataverseFunction;
      readonly property: string;
      readonly values: readonly string[];
      readonly pos: number;
    };

const COMPARISONS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const STRING_FUNCTIONS: ReadonlySet<string> = new Set(['contains', 'startswith', 'endswith']);
const DATAVERSE_PREFIX = 'Microsoft.Dynamics.CRM.';
const DATAVERSE_FUNCTIONS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Between', 'NotBetween']);

/**
 * Parses `$filter` with OData's precedence (or < and < not < comparison) and grouping
 * parentheses. The OData 4.01 `in` operator is refused: Dataverse's Web API is an OData 4.0
 * service and "OData version 4.01 ... features [are] not currently available" (Learn, query
 * overview, "OData version 4.0 features"); Microsoft.Dynamics.CRM.In is its way to test a list.
 * Arithmetic and `has` are not supported by the Web API either (same source's operator list).
 */
export function parseFilter(text: string, aliases: URLSearchParams): FilterNode {
  const p = new FilterParser(tokenize(text, aliases), text);
  const node = p.or();
  p.expectEnd();
  return node;
}

/** `$orderby`: properties (or aliases standing for them), each optionally `asc` or `desc`. */
export function parseOrderBy(
  text: string,
  aliases: URLSearchParams,
): { column: string; descending: boolean; pos: number }[] {
  const tokens = tokenize(text, aliases);
  const out: { column: string; descending: boolean; pos: number }[] = [];
  let i = 0;
  for (;;) {
    const column = tokens[i++] as Token;
    if (column.kind !== 'identifier') throw syntaxError(column.pos, text);
    let next = tokens[i] as Token;
    let descending = false;
    if (next.kind === 'identifier' && /^(asc|desc)$/.test(next.text)) {
      descending = next.text === 'desc';
      next = tokens[++i] as Token;
    }
    out.push({ column: column.text, descending, pos: column.pos });
    if (next.kind === 'end') return out;
    if (next.kind !== ',') throw syntaxError(next.pos, text);
    i++;
  }
}

class FilterParser {
  private i = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly text: string,
  ) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i++;
    return t;
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === 'identifier' && t.text === word;
  }

  private expect(kind: Token['kind']): Token {
    const t = this.peek();
    if (t.kind !== kind) throw syntaxError(t.pos, this.text);
    return this.next();
  }

  expectEnd(): void {
    this.expect('end');
  }

  or(): FilterNode {
    let left = this.and();
    while (this.isWord('or')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.isWord('and')) {
      this.i++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    if (this.isWord('not')) {
      const pos = this.next().pos;
      return { kind: 'not', operand: this.unary(), pos };
    }
    return this.comparison();
  }

  private comparison(): FilterNode {
    const left = this.primary();
    const t = this.peek();
    if (t.kind === 'identifier' && COMPARISONS.has(t.text)) {
      this.i++;
      return { kind: 'compare', op: t.text as Comparison, left, right: this.primary(), pos: t.pos };
    }
    // The mock's own wording: what Dataverse answers to `in` is not documented.
    if (t.kind === 'identifier' && t.text === 'in')
      throw new ODataQueryError(
        `The 'in' operator at position ${t.pos} is OData 4.01, which the Dataverse Web API (OData 4.0) does not support; use Microsoft.Dynamics.CRM.In.`,
      );
    return left;
  }

  private primary(): FilterNode {
    const t = this.next();
    if (t.kind === '(') {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (t.kind === 'identifier' && this.peek().kind === '(') return this.call(t);
    if (t.kind === 'identifier' && !['null', 'true', 'false'].includes(t.text))
      return { kind: 'property', name: t.text, pos: t.pos };
    if (
      t.kind === 'end' ||
      t.kind === ')' ||
      t.kind === ',' ||
      t.kind === '[' ||
      t.kind === ']' ||
      t.kind === '='
    )
      throw syntaxError(t.pos, this.text);
    return { kind: 'literal', token: t };
  }

  private call(name: Token): FilterNode {
    this.i++;
    if (name.text.startsWith(DATAVERSE_PREFIX)) return this.dataverseCall(name);
    // Microsoft.OData.Core's message for a function it cannot bind (MetadataBinder_UnknownFunction);
    // the Web API supports no other OData function (Learn, filter-rows), so any other name gets it.
    if (!STRING_FUNCTIONS.has(name.text))
      throw new ODataQueryError(
        `An unknown function with name '${name.text}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
      );
    const args: FilterNode[] = [];
    if (this.peek().kind !== ')') {
      args.push(this.primary());
      while (this.peek().kind === ',') {
        this.i++;
        args.push(this.primary());
      }
    }
    this.expect(')');
    return { kind: 'function', name: name.text as StringFunction, args, pos: name.pos };
  }

  /** `Microsoft.Dynamics.CRM.In(PropertyName='lastname',PropertyValues=["a","b"])` (Learn, filter-rows). */
  private dataverseCall(name: Token): FilterNode {
    const short = name.text.slice(DATAVERSE_PREFIX.length);
    if (!DATAVERSE_FUNCTIONS.has(short))
      throw new ODataQueryError(
        `The query function '${name.text}' is not emulated by the poc Dataverse mock.`,
      );
    const params = new Map<string, string | string[]>();
    do {
      if (params.size > 0) this.i++;
      const key = this.expect('identifier').text;
      this.expect('=');
      params.set(key, this.peek().kind === '[' ? this.jsonArray() : this.expect('string').text);
    } while (this.peek().kind === ',');
    this.expect(')');
    const property = params.get('PropertyName');
    const values = params.get('PropertyValues');
    if (typeof property !== 'string' || !Array.isArray(values))
      throw new ODataQueryError(
        `${name.text} needs PropertyName='<column>' and PropertyValues=["...", ...] (the mock's wording).`,
      );
    return { kind: 'dataverse', name: short as DataverseFunction, property, values, pos: name.pos };
  }

  private jsonArray(): string[] {
    this.expect('[');
    const values: string[] = [];
    while (this.peek().kind !== ']') {
      if (values.length > 0 && this.peek().kind !== ',')
        // Learn quotes this answer to a malformed array (filter-rows, "Manage single quotes").
        throw new ODataQueryError(
          "Invalid JSON. A comma character ',' was expected in scope 'Array'. Every two elements in an array and properties of an object must be separated by commas.",
        );
      if (values.length > 0) this.i++;
      const t = this.next();
      if (!['json-string', 'string', 'integer', 'decimal'].includes(t.kind))
        throw syntaxError(t.pos, this.text);
      values.push(t.text);
    }
    this.i++;
    return values;
  }
}
