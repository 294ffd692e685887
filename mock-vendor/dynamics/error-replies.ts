import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { gatedPath } from '../api-route.js';
import { classifyRequestError } from '../request-errors.js';
import { DATAVERSE_CODES, sendOdataError } from './errors.js';

/** The mock's Entra-like token endpoint (routes-auth.ts), which answers in Entra's own shape. */
export const TOKEN_ROUTE = '/:tenant/oauth2/v2.0/token';

/**
 * ASP.NET Web API's 404 for a URL no route takes, as Dataverse answers it (Learn, "Troubleshoot
 * Web API client errors": `POST WhoAmI` gets 404, code "", "No HTTP resource was found that
 * matches the request URI '[Organization URI]/api/data/v9.2/WhoAmI'.").
 */
export function sendNoResource(req: FastifyRequest, reply: FastifyReply) {
  const uri = `${req.protocol}://${req.headers.host ?? req.hostname}${req.url.split(/[?#]/, 1)[0] ?? ''}`;
  return sendOdataError(reply, 404, '', `No HTTP resource was found that matches the request URI '${uri}'.`);
}

/** Whether a request's body, if it has one, is JSON: the only body the Web API reads. */
export function isJsonBody(req: FastifyRequest): boolean {
  return req.body === undefined || /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
}

/**
 * A body the Web API does not read: 415 with ASP.NET Web API's message for it [unverified for
 * Dataverse], in the OData error body. Fastify refuses the types it has no parser for; the form
 * and text parsers it has (the token endpoint's among them) leave the refusal to the handler.
 */
export function sendUnsupportedMediaType(req: FastifyRequest, reply: FastifyReply) {
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim() ?? '';
  return sendOdataError(
    reply,
    415,
    DATAVERSE_CODES.badRequest,
    `The request entity's media type '${type}' is not supported for this resource.`,
  );
}

/**
 * Dataverse's OData error body for what Fastify would otherwise answer in its own shape: a body
 * that is not JSON, a content type or size it refuses, a URL it cannot decode, a path no route
 * takes, a handler's failure. The body is Dataverse's (shared/vendors.md §5.2); the code and
 * wording for 413 are [unverified]. The token endpoint keeps Entra's `{error,
 * error_description}`. Registered before the routes, which take the error handler in force when
 * they are added.
 */
export function registerDynamicsErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const problem = classifyRequestError(err);
    if (gatedPath(req) === TOKEN_ROUTE) {
      const status = problem.kind === 'internal' ? 500 : problem.status;
      return reply.code(status).send({
        error: status === 500 ? 'server_error' : 'invalid_request',
        error_description: problem.detail,
      });
    }
    if (problem.kind === 'unsupported-media-type') return sendUnsupportedMediaType(req, reply);
    const code = problem.kind === 'internal' ? DATAVERSE_CODES.server : DATAVERSE_CODES.badRequest;
    const message =
      problem.kind === 'malformed-json'
        ? `The request body is not valid JSON: ${problem.detail}`
        : problem.detail;
    return sendOdataError(
      reply,
      problem.status,
      code,
      problem.kind === 'internal' ? 'Generic SQL error.' : message,
    );
  });
  app.setNotFoundHandler((req, reply) => sendNoResource(req, reply));
}
