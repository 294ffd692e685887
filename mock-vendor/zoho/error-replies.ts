import type { FastifyInstance, FastifyReply } from 'fastify';
import { classifyRequestError } from '../request-errors.js';
import { zohoError } from './errors.js';

/** Zoho's answer to a URL it does not serve (shared/vendors.md §4.4: 404 INVALID_URL_PATTERN). */
export function sendInvalidUrl(reply: FastifyReply, status = 404) {
  return reply
    .code(status)
    .send(zohoError('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one'));
}

/**
 * Zoho's error body (`code`, `details`, `message`, `status`, errors.ts) for what Fastify would
 * otherwise answer in its own shape: a body that is not JSON, a content type or size it refuses,
 * a URL it cannot decode, a handler's failure. Zoho documents the body and the codes it lists
 * (400 INVALID_DATA, 500 INTERNAL_ERROR); the 413 and 415 codes are [unverified]. Used on the
 * whole app and again in the /crm/v8 scope, which parses bodies its own way.
 */
export function registerZohoErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((err, _req, reply) => {
    const problem = classifyRequestError(err);
    switch (problem.kind) {
      case 'malformed-json':
        return reply.code(400).send(zohoError('INVALID_DATA', 'body is not valid JSON'));
      case 'internal':
        return reply.code(500).send(zohoError('INTERNAL_ERROR', 'Internal Server Error'));
      case 'too-large':
        return reply.code(413).send(zohoError('LIMIT_EXCEEDED', 'the request body is too large'));
      case 'unsupported-media-type':
        return reply.code(415).send(zohoError('INVALID_DATA', problem.detail));
      default:
        // A URL that cannot be decoded names no API: Zoho's wrong-URL answer, with the 400 it is.
        if ((err as { code?: unknown }).code === 'FST_ERR_BAD_URL') return sendInvalidUrl(reply, 400);
        return reply.code(problem.status).send(zohoError('INVALID_DATA', problem.detail));
    }
  });
  app.setNotFoundHandler((_req, reply) => sendInvalidUrl(reply));
}
