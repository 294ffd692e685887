import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { gatedPath, isRouted } from '../api-route.js';
import { sendInvalidUrl } from './error-replies.js';
import { AUTH_ERRORS, creditsExhausted, zohoError } from './errors.js';
import type { ZohoMock } from './mock.js';
import { hasScope, requiredScope } from './scopes.js';

const AUTH_PREFIX = 'Zoho-oauthtoken ';

/**
 * The path a scope is judged by: the pattern of the route the router matched with its parameters
 * as the router decoded them (`/crm/v8/:module/upsert` -> `/crm/v8/Contacts/upsert`), never the
 * raw URL, where `/crm/v8/%61ctions/watch` read as a module named `%61ctions` and passed for a
 * modules scope (mock-vendor/api-route.ts says why). An unrouted path is decoded once.
 */
function matchedPath(req: FastifyRequest): string {
  const pattern = gatedPath(req);
  if (!isRouted(req)) return pattern;
  const params = (req.params ?? {}) as Readonly<Record<string, unknown>>;
  return pattern.replace(/:(\w+)/g, (hole, name: string) => {
    const value = params[name];
    // A slash the router decoded (%2F) stays inside its segment.
    return typeof value === 'string' ? value.replaceAll('/', '%2F') : hole;
  });
}

/**
 * What stands before every /crm/v8 route, in Zoho's order as far as it is known: the
 * Zoho-oauthtoken (401 AUTHENTICATION_FAILURE / INVALID_TOKEN), its scopes (401
 * OAUTH_SCOPE_MISMATCH), the org's concurrency cap, then its credits (settings.rateLimit; both 429
 * TOO_MANY_REQUESTS; Zoho documents no rate-limit headers, so none are sent, not even Retry-After).
 */
export function registerGuard(scope: FastifyInstance, mock: ZohoMock): void {
  scope.addHook('onRequest', async (req, reply) => {
    mock.truth.apiRequests++;
    const header = req.headers.authorization;
    if (!header) return reply.code(AUTH_ERRORS.missing.status).send(AUTH_ERRORS.missing.body);
    const token = header.startsWith(AUTH_PREFIX)
      ? mock.tokens.get(header.slice(AUTH_PREFIX.length))
      : undefined;
    const now = Date.now();
    if (!token || token.expiresAt <= now)
      return reply.code(AUTH_ERRORS.invalid.status).send(AUTH_ERRORS.invalid.body);
    if (!hasScope(token.scopes, requiredScope(req.method, matchedPath(req))))
      return reply.code(AUTH_ERRORS.scope.status).send(AUTH_ERRORS.scope.body);
    // Concurrency first: a call turned away for it should not also spend a credit.
    if (mock.inFlight >= mock.settings.concurrencyCap) {
      mock.truth.rateLimited++;
      return reply.code(429).send(
        zohoError('TOO_MANY_REQUESTS', 'the concurrency limit of the org for this app has been reached', {
          limit: mock.settings.concurrencyCap,
        }),
      );
    }
    if (!mock.credits.tryTake(now)) {
      mock.truth.rateLimited++;
      return reply.code(429).send(creditsExhausted(mock.credits));
    }
    mock.inFlight++;
    // 'close' fires once the answer is sent or the client goes away: either frees the slot.
    reply.raw.once('close', () => {
      mock.inFlight--;
    });
  });

  scope.addHook('preHandler', async () => {
    if (mock.settings.responseDelayMs > 0) await sleep(mock.settings.responseDelayMs);
  });

  // Zoho reads a JSON body whatever the Content-Type says (its SDK sends none at all) and takes
  // an empty one with any, so Fastify's stricter JSON parser is replaced in this scope.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      // JSON.parse's SyntaxError, a 400: error-replies.ts answers it in Zoho's body.
      done(Object.assign(err as SyntaxError, { statusCode: 400 }), undefined);
    }
  });

  // Its own 404 in this scope, so that an unknown path under /crm/v8 meets the token check first.
  scope.setNotFoundHandler((_req, reply) => sendInvalidUrl(reply));
}
