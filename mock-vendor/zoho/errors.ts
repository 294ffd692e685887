import type { FaultKind, FaultResponse } from '../api-faults.js';
import type { RequestLimiter } from '../rate-limiter.js';

/** Zoho's error body (shared/vendors.md §4.4): code, details, message, status. */
export function zohoError(code: string, message: string, details: Record<string, unknown> = {}) {
  return { code, details, message, status: 'error' };
}

/** The errors the mock answers before any route runs, with Zoho's status and message. */
export const AUTH_ERRORS = {
  missing: { status: 401, body: zohoError('AUTHENTICATION_FAILURE', 'Authentication failed') },
  invalid: { status: 401, body: zohoError('INVALID_TOKEN', 'invalid oauth token') },
  scope: { status: 401, body: zohoError('OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL') },
} as const;

/** The 429 body once the org's credits are spent; names the window the limiter really counts. */
export function creditsExhausted(credits: RequestLimiter) {
  const window =
    credits.windowMs === 86_400_000 ? 'the last 24 hours' : `the last ${credits.windowMs} ms (test setting)`;
  return zohoError('TOO_MANY_REQUESTS', `the API credits of the org for ${window} are exhausted`, {
    limit: credits.limit,
  });
}

/**
 * Injected API faults in Zoho's error shape. Zoho's status-code table lists 500 INTERNAL_ERROR and
 * 429 TOO_MANY_REQUESTS but no 503, so an outage keeps the same body shape with INTERNAL_ERROR; no
 * limit headers, as Zoho documents none.
 */
export const ZOHO_FAULTS: Readonly<Record<FaultKind, FaultResponse>> = {
  unavailable: { status: 503, body: zohoError('INTERNAL_ERROR', 'Service Unavailable') },
  server_error: { status: 500, body: zohoError('INTERNAL_ERROR', 'Internal Server Error') },
  rate_limited: {
    status: 429,
    body: zohoError('TOO_MANY_REQUESTS', 'the API credits of the org for the last 24 hours are exhausted'),
  },
};
