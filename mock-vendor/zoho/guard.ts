import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { AUTH_ERRORS, creditsExhausted, zohoError } from './errors.js';
import type { ZohoMock } from './mock.js';
import { hasScope, requiredScope } from './scopes.js';

const AUTH_PREFIX = 'Zoho-oauthtoken ';

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
    if (!hasScope(token.scopes, requiredScope(req.method, req.url)))
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
    } catch {
      done(Object.assign(new Error('body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });

  scope.setErrorHandler((error: { statusCode?: number; message: string }, _req, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) return reply.code(500).send(zohoError('INTERNAL_ERROR', 'Internal Server Error'));
    return reply.code(400).send(zohoError('INVALID_DATA', error.message));
  });

  scope.setNotFoundHandler((_req, reply) =>
    reply
      .code(404)
      .send(zohoError('INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one')),
  );
}
