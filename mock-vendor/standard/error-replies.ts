import type { FastifyInstance } from 'fastify';
import { classifyRequestError, type RequestErrorKind } from '../request-errors.js';
import { sendProblem } from './errors.js';

// The CRM's codes for requests refused before any handler reads them; problem details as ever
// (harness/vendors/standard/api.ts documents the shape; these codes are the mock's own).
const CODES: Readonly<Record<RequestErrorKind, string>> = {
  'malformed-json': 'invalid_json',
  'unsupported-media-type': 'unsupported_media_type',
  'too-large': 'payload_too_large',
  'bad-request': 'bad_request',
  internal: 'internal_error',
};

/**
 * Problem details for what Fastify would otherwise answer in its own shape: a body that is not
 * JSON, a content type or size refused, a path the API does not have, a handler's failure.
 * Registered before the routes, which take the error handler in force when they are added.
 */
export function registerStandardErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((err, _req, reply) => {
    const problem = classifyRequestError(err);
    const detail = problem.kind === 'internal' ? 'Internal error.' : `${problem.detail}.`;
    return sendProblem(reply, problem.status, CODES[problem.kind], detail);
  });

  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, 404, 'not_found', `No resource at ${req.method} ${req.url.split('?')[0]}.`),
  );
}
