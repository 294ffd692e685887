import type { FastifyInstance } from 'fastify';
import { classifyRequestError } from '../request-errors.js';
import { NOT_FOUND, sfErrors } from './errors.js';
import { SALESFORCE_FAULTS } from './faults.js';

/**
 * Salesforce's error array for what Fastify would otherwise answer in its own shape: a body that
 * is not JSON (400 JSON_PARSER_ERROR, restforce#619, regican/Salesforce#2), a content type it does
 * not take (415, shared/vendors.md §2.4), a body too large, a resource it does not have (404
 * NOT_FOUND), a handler's failure (500 UNKNOWN_EXCEPTION). Registered before the routes, which
 * take the error handler in force when they are added.
 */
export function registerSalesforceErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((err, _req, reply) => {
    const problem = classifyRequestError(err);
    switch (problem.kind) {
      case 'malformed-json':
        return reply.code(400).send(sfErrors('JSON_PARSER_ERROR', problem.detail));
      case 'internal':
        return reply.code(500).send(SALESFORCE_FAULTS.server_error.body);
      // The codes of these three are [unverified]; the statuses are Salesforce's.
      case 'unsupported-media-type':
        return reply.code(415).send(sfErrors('UNSUPPORTED_MEDIA_TYPE', problem.detail));
      case 'too-large':
        return reply.code(413).send(sfErrors('REQUEST_ENTITY_TOO_LARGE', problem.detail));
      default:
        return reply.code(problem.status).send(sfErrors('INVALID_REQUEST', problem.detail));
    }
  });

  app.setNotFoundHandler((_req, reply) => reply.code(404).send(NOT_FOUND));
}
