/** Salesforce's REST error body: always a JSON array (shared/vendors.md §2.4). */
export function sfErrors(errorCode: string, message: string, fields?: readonly string[]) {
  return [{ message, errorCode, ...(fields ? { fields } : {}) }];
}

/** An error inside a collection result, which names it `statusCode`, not `errorCode`. */
export function sfResultError(statusCode: string, message: string, fields: readonly string[] = []) {
  return { statusCode, message, fields };
}

export const SESSION_INVALID = sfErrors('INVALID_SESSION_ID', 'Session expired or invalid');
export const NOT_FOUND = sfErrors('NOT_FOUND', 'The requested resource does not exist');

/** Salesforce's refusal of a record that lacks required fields (REST and composite alike). */
export function missingFields(missing: readonly string[]) {
  return {
    ok: false as const,
    errorCode: 'REQUIRED_FIELD_MISSING',
    message: `Required fields are missing: [${missing.join(', ')}]`,
    fields: [...missing],
  };
}
