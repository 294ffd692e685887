import { randomUUID } from 'node:crypto';

/** HubSpot's error body (shared/vendors.md §1.4): status, message, correlationId, category. */
export function hubspotError(category: string, message: string, extra: Record<string, unknown> = {}) {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}
