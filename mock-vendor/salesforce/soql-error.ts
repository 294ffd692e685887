export type SoqlErrorCode =
  | 'MALFORMED_QUERY'
  | 'INVALID_FIELD'
  | 'INVALID_TYPE'
  | 'INVALID_QUERY_FILTER_OPERATOR'
  | 'NUMBER_OUTSIDE_VALID_RANGE';

/** A query Salesforce refuses: the route answers 400 with `[{message, errorCode}]`. */
export class SoqlError extends Error {
  constructor(
    readonly errorCode: SoqlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A refusal that points at a place in the query, in Salesforce's shape: the query line, a caret
 * under the place, "ERROR at Row:r:Column:c", then the reason, e.g. "unexpected token: OR"
 * (a live answer quoted at https://life-improver.com/salesforce/salesforce-unexpected-token-or/).
 */
export function soqlErrorAt(errorCode: SoqlErrorCode, soql: string, pos: number, reason: string): SoqlError {
  const before = soql.slice(0, pos).split('\n');
  const row = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  const line = soql.split('\n')[row - 1] ?? '';
  return new SoqlError(
    errorCode,
    `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${reason}`,
  );
}
