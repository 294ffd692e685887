import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { gatedPath } from '../api-route.js';
import { overLimitBody, unauthorizedBody } from './errors.js';
import type { RequestClass, TokenKind } from './limits.js';
import type { PipedriveMock } from './mock.js';

/** The paths Pipedrive's credential guards: API v2 and v1. */
const API_PREFIXES = ['/api/v2/', '/v1/'];

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

/** The token cost class of a request, from the route pattern it matched (`path`). */
function classify(method: string, path: string): RequestClass {
  const version = path.startsWith('/api/v2/') ? 'v2' : 'v1';
  if (method === 'GET') {
    if (path.endsWith('/search')) return { version, kind: 'search' };
    // GET /v1/users/me reads one record (documented cost 2), though its path has no id.
    if (path.endsWith('/me')) return { version, kind: 'get' };
    return { version, kind: path.includes('/:') ? 'get' : 'list' };
  }
  return { version, kind: method === 'DELETE' ? 'delete' : 'write' };
}

/**
 * The credential and the limits (with their headers) in front of API v2 and v1, decided on the
 * route the router matched, never the raw URL (mock-vendor/api-route.ts says why).
 */
export function registerPipedriveGate(app: FastifyInstance, mock: PipedriveMock): void {
  app.addHook('onRequest', async (req, reply) => {
    const path = gatedPath(req);
    if (!API_PREFIXES.some((p) => path.startsWith(p))) return;
    mock.truth.apiRequests++;
    const kind = authenticate(req, mock.token);
    if (!kind) return reply.code(401).send(unauthorizedBody());
    const verdict = mock.limits.check(kind, classify(req.method, path), Date.now());
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
}
