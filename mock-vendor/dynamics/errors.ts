import type { FastifyReply } from 'fastify';

/**
 * Dataverse's OData error body: `{"error":{"code":"0x8004…","message":"…"}}` (shared/vendors.md
 * §5.2). Codes used by the mock; those not confirmed by shared/vendors.md are unverified.
 */
export const DATAVERSE_CODES = {
  /** Record not found (verified in shape, 404). */
  notFound: '0x80040217',
  /** Duplicate key on a create-only upsert (If-None-Match: *); unverified. */
  duplicate: '0x80040237',
  /** ETag (row version) mismatch on If-Match; unverified. */
  concurrency: '0x80060882',
  /** Missing or invalid bearer token; unverified. */
  unauthorized: '0x80040220',
  /** The user's roles lack a privilege (PrivilegeDenied, HTTP 403; seen in a live answer). */
  privilegeDenied: '0x80040220',
  /** A query option Dataverse cannot read (practitioners report it for $select, $filter, unsupported options); for bodies unverified. */
  badRequest: '0x80060888',
  /** Unknown entity set in the URL; unverified. */
  noSegment: '0x8006088a',
  /** Generic server-side failure; unverified. */
  server: '0x80040216',
} as const;

export function odataError(code: string, message: string) {
  return { error: { code, message } };
}

export function sendOdataError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).header('odata-version', '4.0').send(odataError(code, message));
}
