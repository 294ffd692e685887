import { ODataQueryError, type Token } from './filter-lexer.js';
import { type Comparison, type FilterNode, parseFilter } from './filter-parser.js';

export type EdmType =
  | 'Edm.String'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Decimal'
  | 'Edm.Boolean'
  | 'Edm.DateTimeOffset'
  | 'Edm.Date'
  | 'Edm.Guid';

/** A column's type, or `any` for tables whose columns the mock does not type (no type checks there). */
export type ColumnType = EdmType | 'any';

/** What a filter is checked against: the entity type's name (for messages) and its columns' types. */
export interface FilterSchema {
  readonly entityType: string;
  readonly typeOf: (column: string) => ColumnType | undefined;
}

type Row = Readonly<Record<string, unknown>>;
type NodeType = ColumnType | 'null';
/** A bound node: its type and its value on a row; predicates give true, false or null (unknown). */
interface Bound {
  readonly type: NodeType;
  readonly value: (row: Row) => unknown;
}

const FAMILY: Readonly<Record<EdmType, string>> = {
  'Edm.String': 'string',
  'Edm.Int32': 'number',
  'Edm.Int64': 'number',
  'Edm.Decimal': 'number',
  'Edm.Boolean': 'boolean',
  // Date literals compare with date-time columns as instants at 00:00 UTC (an assumption).
  'Edm.DateTimeOffset': 'time',
  'Edm.Date': 'time',
  'Edm.Guid': 'guid',
};

// Microsoft.OData.Core's BinaryOperatorKind names, as its messages print them.
const KIND: Readonly<Record<Comparison | 'and' | 'or', string>> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
  and: 'And',
  or: 'Or',
};

export function unknownProperty(column: string, entityType: string): ODataQueryError {
  return new ODataQueryError(
    `Could not find a property named '${column}' on type 'Microsoft.Dynamics.CRM.${entityType}'.`,
  );
}

/** Microsoft.OData.Core's message for operands that do not go together (MetadataBinder). */
function incompatible(left: NodeType, right: NodeType, kind: string): ODataQueryError {
  const name = (t: NodeType) => (t === 'null' || t === 'any' ? '<null>' : t);
  return new ODataQueryError(
    `A binary operator with incompatible types was detected. Found operand types '${name(left)}' and '${name(right)}' for operator kind '${kind}'.`,
  );
}

function compatible(a: NodeType, b: NodeType): boolean {
  if (a === 'any' || b === 'any' || a === 'null' || b === 'null') return true;
  return FAMILY[a] === FAMILY[b];
}

function literalType(t: Token): NodeType {
  switch (t.kind) {
    case 'string':
      return 'Edm.String';
    case 'integer':
      return Math.abs(Number(t.text)) <= 2 ** 31 - 1 ? 'Edm.Int32' : 'Edm.Int64';
    case 'decimal':
      return 'Edm.Decimal';
    case 'datetimeoffset':
      return 'Edm.DateTimeOffset';
    case 'date':
      return 'Edm.Date';
    case 'guid':
      return 'Edm.Guid';
    default:
      return t.text === 'null' ? 'null' : 'Edm.Boolean';
  }
}

function literalValue(t: Token): unknown {
  if (t.kind === 'integer' || t.kind === 'decimal') return Number(t.text);
  if (t.kind === 'identifier') return t.text === 'null' ? null : t.text === 'true';
  return t.text;
}

/**
 * A value as compared under `type`: strings without regard to case ("All filters using string
 * values are case insensitive", Learn, filter-rows), times as instants, GUIDs in lower case.
 * Untyped (`any`) values fall back on their look: numbers, ISO dates, then text.
 */
function normalise(type: NodeType, raw: unknown): string | number | boolean | null {
  if (raw === null || raw === undefined) return null;
  switch (type === 'any' || type === 'null' ? undefined : FAMILY[type]) {
    case 'number':
      return Number(raw);
    case 'time':
      return Date.parse(String(raw));
    case 'boolean':
      return raw === true || raw === 'true';
    case 'string':
    case 'guid':
      return String(raw).toLowerCase();
    default:
      if (typeof raw === 'number' || typeof raw === 'boolean') return raw;
      if (/^\d{4}-\d{2}-\d{2}/.test(String(raw))) return Date.parse(String(raw));
      return String(raw).toLowerCase();
  }
}

/**
 * Comparison with Dataverse's null rules: `eq null` / `ne null` test for a missing value; a
 * missing value is `ne` any value (as the mock's earlier subset had it; FetchXML's `ne` is
 * understood to include nulls, unverified); any other comparison with a missing value is unknown.
 */
function compare(op: Comparison, a: ReturnType<typeof normalise>, b: ReturnType<typeof normalise>) {
  if (a === null || b === null) {
    if (op === 'eq') return a === b;
    if (op === 'ne') return a !== b;
    return null;
  }
  const d = a === b ? 0 : a < b ? -1 : 1;
  return { eq: d === 0, ne: d !== 0, gt: d > 0, ge: d >= 0, lt: d < 0, le: d <= 0 }[op];
}

/** A SQL LIKE pattern: `%`, `_`, `[...]` and `[^...]` are wildcards (Learn, filter-rows, "Use wildcard characters"). */
function likeMatcher(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    const close = c === '[' ? pattern.indexOf(']', i + 1) : -1;
    if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else if (close > i) {
      const set = pattern.slice(i + 1, close);
      re += set.startsWith('^') ? `[^${escapeSet(set.slice(1))}]` : `[${escapeSet(set)}]`;
      i = close;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

function escapeSet(set: string): string {
  return set.replace(/[\\\]^]/g, '\\$&');
}

const AFFIX: Readonly<Record<string, (v: string) => string>> = {
  contains: (v) => `%${v}%`,
  startswith: (v) => `${v}%`,
  endswith: (v) => `%${v}`,
};

function kleeneNot(v: unknown): boolean | null {
  return v === null ? null : !v;
}

class Binder {
  constructor(private readonly schema: FilterSchema) {}

  private column(name: string): ColumnType {
    const type = this.schema.typeOf(name);
    if (!type) throw unknownProperty(name, this.schema.entityType);
    return type;
  }

  private predicate(node: FilterNode, kind: string, other: NodeType): Bound {
    const bound = this.bind(node);
    if (bound.type !== 'Edm.Boolean') throw incompatible(bound.type, other, kind);
    return bound;
  }

  bind(node: FilterNode): Bound {
    switch (node.kind) {
      case 'property': {
        const type = this.column(node.name);
        return { type, value: (row) => row[node.name] ?? null };
      }
      case 'literal': {
        const value = literalValue(node.token);
        return { type: literalType(node.token), value: () => value };
      }
      case 'compare': {
        const left = this.bind(node.left);
        const right = this.bind(node.right);
        if (!compatible(left.type, right.type)) throw incompatible(left.type, right.type, KIND[node.op]);
        const as = left.type === 'any' || left.type === 'null' ? right.type : left.type;
        return {
          type: 'Edm.Boolean',
          value: (row) => compare(node.op, normalise(as, left.value(row)), normalise(as, right.value(row))),
        };
      }
      case 'and':
      case 'or': {
        const left = this.predicate(node.left, KIND[node.kind], 'Edm.Boolean');
        const right = this.predicate(node.right, KIND[node.kind], 'Edm.Boolean');
        const and = node.kind === 'and';
        return {
          type: 'Edm.Boolean',
          // Three-valued: false and unknown is false, true or unknown is true.
          value: (row) => {
            const a = left.value(row);
            const b = right.value(row);
            if (and) return a === false || b === false ? false : a === null || b === null ? null : true;
            return a === true || b === true ? true : a === null || b === null ? null : false;
          },
        };
      }
      case 'not': {
        const operand = this.bind(node.operand);
        if (operand.type !== 'Edm.Boolean')
          throw new ODataQueryError(
            `A unary operator with an incompatible type was detected. Found operand type '${operand.type}' for operator kind 'Not'.`,
          );
        return { type: 'Edm.Boolean', value: (row) => kleeneNot(operand.value(row)) };
      }
      case 'function':
        return this.stringFunction(node);
      case 'dataverse':
        return this.dataverseFunction(node);
    }
  }

  private stringFunction(node: Extract<FilterNode, { kind: 'function' }>): Bound {
    const args = node.args.map((a) => this.bind(a));
    const text = (t: NodeType) => t === 'Edm.String' || t === 'any';
    // Microsoft.OData.Core's message when no overload fits (FunctionCallBinder).
    if (args.length !== 2 || !args.every((a) => text(a.type)))
      throw new ODataQueryError(
        `No function signature for the function with name '${node.name}' matches the specified arguments. The function signatures considered are: ${node.name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
      );
    const [subject, pattern] = args as [Bound, Bound];
    const affix = AFFIX[node.name] as (v: string) => string;
    return {
      type: 'Edm.Boolean',
      value: (row) => {
        const v = subject.value(row);
        const p = pattern.value(row);
        return v === null || p === null ? null : likeMatcher(affix(String(p))).test(String(v));
      },
    };
  }

  private dataverseFunction(node: Extract<FilterNode, { kind: 'dataverse' }>): Bound {
    const type = this.column(node.property);
    const values = node.values.map((v) => normalise(type, v));
    const between = node.name === 'Between' || node.name === 'NotBetween';
    if (between && values.length !== 2)
      throw new ODataQueryError(
        `Microsoft.Dynamics.CRM.${node.name} takes exactly two PropertyValues (the mock's wording).`,
      );
    const negated = node.name.startsWith('Not');
    const [low, high] = values;
    const test = (v: string | number | boolean) =>
      between ? low != null && high != null && v >= low && v <= high : values.includes(v);
    return {
      type: 'Edm.Boolean',
      value: (row) => {
        const v = normalise(type, row[node.property]);
        return v === null ? null : test(v) !== negated;
      },
    };
  }
}

/**
 * Checks `$filter` against the table and compiles it to a row test; rows for which it is false
 * or unknown are left out ("Records aren't returned if the expression evaluates to false or
 * null", Learn, filter-rows). Throws ODataQueryError with Microsoft.OData.Core's message.
 */
export function compileFilter(
  text: string,
  aliases: URLSearchParams,
  schema: FilterSchema,
): (row: Row) => boolean {
  const bound = new Binder(schema).bind(parseFilter(text, aliases));
  if (bound.type !== 'Edm.Boolean')
    throw new ODataQueryError('The $filter expression must evaluate to a single boolean value.');
  return (row) => bound.value(row) === true;
}
