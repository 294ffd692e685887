/**
 * Zoho's wire formats that the adapter and the mock both speak. Kept apart from api.ts so the
 * mock can import them without pulling in the adapter's HTTP client.
 */

/** Zoho's date-times: ISO 8601 to the second with an explicit offset, e.g. 2026-01-01T10:00:00+00:00. */
export function zohoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
