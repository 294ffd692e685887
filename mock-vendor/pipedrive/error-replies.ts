import type { FastifyInstance } from 'fastify';
import { classifyRequestError } from '../request-errors.js';
import { pipedriveError } from './errors.js';

/**
 * Pipedrive's error envelope (`success: false`, `error`, `error_info`, errors.ts) for what Fastify
 * would otherwise answer in its own shape: a body that is not JSON, a content type or size it
 * refuses, a URL it cannot decode, a path it does not serve, a handler's failure. The envelope is
 * documented (core-api-concepts-responses); the wording of each `error` is [unverified] except the
 * 404's. Registered before the routes, which take the error handler in force when they are added.
 */
export function registerPipedriveErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((err, _req, reply) => {
    const problem = classifyRequestError(err);
    switch (problem.kind) {
      case 'malformed-json':
        return reply.code(400).send(pipedriveError('Request body is not valid JSON'));
      case 'internal':
        return reply.code(500).send(pipedriveError('Internal server error'));
      default:
        return reply.code(problem.status).send(pipedriveError(problem.detail));
    }
  });

  // A public Pipedrive client quotes the 404 of a retired endpoint as "Unknown method ." [secondary].
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(pipedriveError('Unknown method .')));
}
