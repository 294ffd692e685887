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
