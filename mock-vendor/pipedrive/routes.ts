import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { overLimitBody, unauthorizedBody } from './errors.js';
import type { RequestClass, TokenKind } from './limits.js';
import type { PipedriveMock } from './mock.js';
import { registerFilterRoutes } from './routes-filters.js';
import { registerPersonRoutes } from './routes-persons.js';
import { registerUserRoutes } from './routes-users.js';
import { registerV1Routes } from './routes-v1.js';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Which credential the request carries: the API token as `x-api-token` (the SDK's choice) or
 * `api_token` in the query, or an OAuth access token as a bearer. The mock accepts its one token
 * in every form; the form decides which burst limit applies.
 */
function authenticate(req: FastifyRequest, token: string): TokenKind | undefined {
  const header = req.headers['x-api-token'];
  if (typeof header === 'string' && sameToken(header, token)) return 'api_token';
  const query = new URL(req.url, 'http://mock').searchParams.get('api_token');
  if (query !== null && sameToken(query, token)) return 'api_token';
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && sameToken(auth.slice(7), token)) return 'access_token';
  return undefined;
}

/** The token cost class of a request, from its route pattern. */
function classify(req: FastifyRequest): RequestClass {
  const pattern = req.routeOptions.url ?? req.url;
  const version = pattern.startsWith('/api/v2/') ? 'v2' : 'v1';
  if (req.method === 'GET') {
    if (pattern.endsWith('/search')) return { version, kind: 'search' };
    // GET /v1/users/me reads one record (documented cost 2), though its path has no id.
    if (pattern.endsWith('/me')) return { version, kind: 'get' };
    return { version, kind: pattern.includes('/:') ? 'get' : 'list' };
  }
  return { version, kind: req.method === 'DELETE' ? 'delete' : 'write' };
}

/** Pipedrive's public API as the mock serves it: auth, limits (with headers), persons, v1 extras. */
export function registerPipedriveRoutes(app: FastifyInstance, mock: PipedriveMock): void {
  // Pipedrive takes a GET or DELETE labelled application/json with no body (clients send the
  // header on every call); Fastify's default parser would answer 400.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('Request body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/v2/') && !req.url.startsWith('/v1/')) return;
    mock.truth.apiRequests++;
    const kind = authenticate(req, mock.token);
    if (!kind) return reply.code(401).send(unauthorizedBody());
    const verdict = mock.limits.check(kind, classify(req), Date.now());
    void reply.headers(verdict.headers);
    if (!verdict.ok) {
      mock.truth.rateLimited++;
      // Retry-After on 429 is from Pipedrive's earlier rate-limit docs [secondary]: when the
      // refused request would be admitted, which x-ratelimit-reset (the whole window) overstates.
      return reply
        .code(429)
        .header('retry-after', String(verdict.retryAfterS))
        .send(overLimitBody(verdict.error));
    }
  });
  registerPersonRoutes(app, mock);
  registerV1Routes(app, mock);
  registerFilterRoutes(app, mock);
  registerUserRoutes(app, mock);
}
