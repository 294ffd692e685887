/**
 * Pipedrive's error bodies (shared/vendors.md §3.2, §3.4): every answer carries `success`; errors
 * add `error` and `error_info` (exact wording unverified except the 401 and 429 shapes).
 */
const ERROR_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';

export function pipedriveError(error: string, extra: Record<string, unknown> = {}) {
  return { success: false, error, error_info: ERROR_INFO, data: null, additional_data: null, ...extra };
}

/**
 * A v2 request whose parameters fail Pipedrive's schema: 400 with `code`
 * ERR_SCHEMA_VALIDATION_FAILED, as integrators report it from live v2 calls (e.g. an
 * `updated_since` with fractional seconds is "not a valid datetime"); the `error` wording is the
 * mock's.
 */
export function validationError(error: string) {
  return pipedriveError(error, { code: 'ERR_SCHEMA_VALIDATION_FAILED' });
}

export function unauthorizedBody() {
  return { success: false, error: 'unauthorized access', errorCode: 401, error_info: ERROR_INFO };
}

export function overLimitBody(error = 'Request over limit') {
  return { success: false, error, errorCode: 429, error_info: ERROR_INFO };
}

/** /v1/webhooks answers validation errors as `{success, status, errors: {field: [messages]}}`. */
export function webhookValidationError(field: string, message: string) {
  return { success: false, status: 'error', errors: { [field]: [message] } };
}
