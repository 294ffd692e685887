import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { classifyRequestError } from '../request-errors.js';
import { hubspotError, hubspotInvalidJson } from './errors.js';

/**
 * HubSpot's error bodies for what Fastify would otherwise answer in its own shape: a body that
 * is not JSON, a content type or size it refuses, a path it does not serve, a handler's failure.
 * Registered before the routes, which take the error handler in force when they are added.
 */
export function registerHubspotErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((err, _req, reply) => {
    const problem = classifyRequestError(err);
    if (problem.kind === 'malformed-json') return reply.code(400).send(hubspotInvalidJson(problem.detail));
    if (problem.kind === 'internal') {
      return reply.code(500).send(hubspotError('INTERNAL_ERROR', 'internal error'));
    }
    // 413, 415 and other refusals of the request itself [unverified: HubSpot's wording].
    return reply
      .code(problem.status)
      .send({ status: 'error', message: problem.detail, correlationId: randomUUID() });
  });

  // A path HubSpot does not serve [unverified: its wording; the status is 404].
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send(hubspotError('OBJECT_NOT_FOUND', `No such endpoint: ${req.method} ${req.url.split('?')[0]}`)),
  );
}
