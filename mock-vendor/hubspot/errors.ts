import { randomUUID } from 'node:crypto';

/** HubSpot's error body (shared/vendors.md §1.4): status, message, correlationId, category. */
export function hubspotError(category: string, message: string, extra: Record<string, unknown> = {}) {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

/**
 * HubSpot's answer to a body its deserialiser cannot read: 400, "Invalid input JSON on line 1,
 * column N: " and Jackson's complaint, and no category (the whole body is quoted in
 * Chinchilla-Software-Com/HubSpot.NET#23; hubspot-api-php#245 shows the 400). The mock has no
 * parser position, so it keeps the complaint and drops the position, as search-request.ts does.
 */
export function hubspotInvalidJson(complaint: string) {
  return { status: 'error', message: `Invalid input JSON: ${complaint}`, correlationId: randomUUID() };
}

/**
 * An object type HubSpot does not know: 400 "Unable to infer object type from: <type>"
 * (hubspot-api-php#128 quotes the 400 and the message; the answers seen carry no category).
 */
export function unknownObjectType(type: string) {
  return {
    status: 'error',
    message: `Unable to infer object type from: ${type}`,
    correlationId: randomUUID(),
  };
}
