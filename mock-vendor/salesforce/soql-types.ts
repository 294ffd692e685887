/** The parsed form of the SOQL the mock answers (soql.ts parses it, soql-match.ts evaluates it). */

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'IN' | 'NOT IN';

/** A single value on the right of an operator, checked against the field's type when parsed. */
export type Scalar =
  | { readonly kind: 'string'; readonly value: string }
  /** An Id or reference, in its 18-character form: compared with case, unlike text. */
  | { readonly kind: 'id'; readonly value: string }
  | { readonly kind: 'datetime'; readonly value: number }
  /** A date (YYYY-MM-DD) as the epoch ms of its midnight UTC. */
  | { readonly kind: 'date'; readonly value: number }
  /** TODAY, LAST_N_DAYS:n...: a range of days relative to when the query runs. */
  | { readonly kind: 'dateLiteral'; readonly name: string; readonly n?: number }
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean };

export type Literal =
  | Scalar
  /** A LIKE pattern as written, and the case-insensitive whole-value match it compiles to. */
  | { readonly kind: 'pattern'; readonly value: string; readonly regex: RegExp }
  | { readonly kind: 'list'; readonly values: readonly Scalar[] };

/** `field op value`; `field` is a path such as `Account.Name`, in its proper case. */
export interface Condition {
  readonly field: string;
  readonly op: Operator;
  readonly value: Literal;
}

export type Expression =
  | Condition
  | { readonly and: readonly Expression[] }
  | { readonly or: readonly Expression[] }
  | { readonly not: Expression };

export interface SortKey {
  readonly field: string;
  readonly descending: boolean;
  /** NULLS FIRST / NULLS LAST when the query says; absent: first ascending, last descending. */
  readonly nulls?: 'first' | 'last';
}

export type AggregateFunction = 'COUNT' | 'COUNT_DISTINCT' | 'MIN' | 'MAX';

/** An aggregate in the SELECT list, answered under its alias (expr0, expr1... when unnamed). */
export interface Aggregate {
  readonly fn: AggregateFunction;
  readonly field: string;
  readonly alias: string;
}

export interface SoqlQuery {
  /** The plain fields selected, in order, each once; empty for COUNT() and aggregate queries. */
  readonly fields: readonly string[];
  /** The WHERE clause as its top-level conjuncts: every one must hold; empty when none. */
  readonly where: readonly Expression[];
  readonly orderBy: SortKey | undefined;
  /** Further sort keys, for ties on the first (ORDER BY LastModifiedDate, Id); absent when none. */
  readonly thenBy?: readonly SortKey[];
  readonly limit: number | undefined;
  /** Rows skipped before the first one returned (OFFSET); absent when none. */
  readonly offset?: number;
  /** SELECT COUNT(): the answer is the number of rows, with no records. */
  readonly count?: true;
  /** SELECT COUNT(Id), MAX(...): one AggregateResult row. */
  readonly aggregates?: readonly Aggregate[];
}
