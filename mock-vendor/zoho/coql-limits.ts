import { CoqlError } from './coql-lexer.js';
import { zohoError } from './errors.js';

/** Zoho's documented COQL limits (v8), each with where it is written. */
export const COQL_LIMITS = {
  // COQL-Overview (v7, v8): "LIMIT ... The default value is 200 and the max value is 2000."
  defaultLimit: 200,
  maxLimit: 2000,
  // COQL-Limitations (v8): "You can fetch up to 1,00,000 records using pagination with LIMIT and OFFSET."
  reachableRecords: 100_000,
  // COQL-Overview (v7, v8): WHERE "You can include up to 25 criteria in this clause."
  whereCriteria: 25,
  // Kaizen #183 "COQL API enhancements in Zoho CRM API version 7": IN and NOT IN take up to 100
  // values (was 50), SELECT up to 500 fields (was 50).
  inValues: 100,
  selectColumns: 500,
  // COQL-Limitations (v8): "A maximum of 10 fields can be given in the ORDER BY clause."
  orderByFields: 10,
} as const;

/**
 * LIMIT_EXCEEDED, HTTP 400, as Get-Records-through-COQL-Query lists it for each of the limits
 * above. Its details carry `clause` and `limit`, two of the keys the official SDK's COQL
 * APIException declares (json_details.json); which keys Zoho fills for each limit is not
 * documented, so this pairing is the mock's.
 */
export function limitExceeded(clause: string, limit: number, message: string): CoqlError {
  return new CoqlError(zohoError('LIMIT_EXCEEDED', message, { clause, limit }));
}
