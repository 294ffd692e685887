import type { FaultKind, FaultResponse } from '../api-faults.js';
import { sfErrors } from './errors.js';

/**
 * Salesforce's own answers to the shared API faults (shared/vendors.md §2.3, §2.4): the JSON
 * error array, and for throttling 403 REQUEST_LIMIT_EXCEEDED, never 429, and no Retry-After.
 */
export const SALESFORCE_FAULTS: Readonly<Record<FaultKind, FaultResponse>> = {
  unavailable: { status: 503, body: sfErrors('SERVER_UNAVAILABLE', 'Server is temporarily unavailable') },
  server_error: {
    status: 500,
    body: sfErrors(
      'UNKNOWN_EXCEPTION',
      'An unexpected error occurred. Please include this ErrorId if you contact support: 0-0 (mock)',
    ),
  },
  rate_limited: {
    status: 403,
    body: sfErrors('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
    retryAfter: false,
  },
};
