import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { gatedPath, routeParam } from '../api-route.js';
import { hubspotError, unknownObjectType } from './errors.js';
import { type HubspotMock, isObjectType } from './mock.js';

/** The paths HubSpot's private-app token guards; token introspection (/oauth) sits outside. */
const API_PREFIXES = ['/crm/', '/webhooks/'];
const SEARCH_ROUTE = '/crm/v3/objects/:objectType/search';
const READ_ROUTES = new Set([SEARCH_ROUTE, '/crm/v3/objects/:objectType/batch/read']);

function limitHeaders(mock: HubspotMock, reply: FastifyReply, now: number): void {
  const lies = mock.settings.headerLies;
  void reply.headers({
    // A test may make the headers lie (headerLies) to prove the probe catches it.
    'x-hubspot-ratelimit-max': String(mock.limiter.limit + (lies?.limitOffset ?? 0)),
    'x-hubspot-ratelimit-remaining': String(
      Math.max(0, mock.limiter.remaining(now) + (lies?.remainingOffset ?? 0)),
    ),
    'x-hubspot-ratelimit-interval-milliseconds': String(lies?.windowMs ?? mock.limiter.windowMs),
    'x-hubspot-ratelimit-daily': String(mock.settings.dailyLimit),
    'x-hubspot-ratelimit-daily-remaining': String(mock.daily.remaining()),
  });
}

/** The bearer token, or the legacy `hapikey` query parameter as the handler would read it. */
function tokenOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  const hapikey = (req.query as Readonly<Record<string, unknown>> | undefined)?.hapikey;
  const first = Array.isArray(hapikey) ? hapikey[0] : hapikey;
  return typeof first === 'string' ? first : undefined;
}

/** The scope a CRM object route needs (`crm.objects.contacts.write`...), if the token lacks it. */
function missingScope(
  granted: readonly string[],
  method: string,
  route: string,
  objectType: string,
): string | undefined {
  const isRead = method === 'GET' || method === 'HEAD' || READ_ROUTES.has(route);
  const needed = `crm.objects.${objectType}.${isRead ? 'read' : 'write'}`;
  return granted.includes(needed) ? undefined : needed;
}

function rateLimited(message: string, policyName: string) {
  return {
    status: 'error',
    message,
    errorType: 'RATE_LIMIT',
    correlationId: crypto.randomUUID(),
    policyName,
  };
}

/**
 * Private-app bearer auth, scopes and limits in front of CRM v3 and webhooks v3, decided on the
 * route the router matched (mock-vendor/api-route.ts says why never on the raw URL).
 */
export function registerHubspotGate(app: FastifyInstance, mock: HubspotMock): void {
  app.addHook('onRequest', async (req, reply) => {
    const path = gatedPath(req);
    if (!API_PREFIXES.some((p) => path.startsWith(p))) return;
    mock.truth.apiRequests++;
    if (tokenOf(req) !== mock.credentials.token) {
      return reply
        .code(401)
        .send(
          hubspotError(
            'INVALID_AUTHENTICATION',
            'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
          ),
        );
    }
    const objectType = routeParam(req, 'objectType');
    // The type names the scope a call needs, so an unknown one is answered before scopes are.
    if (objectType !== undefined && !isObjectType(objectType)) {
      return reply.code(400).send(unknownObjectType(objectType));
    }
    const missing =
      objectType === undefined ? undefined : missingScope(mock.settings.scopes, req.method, path, objectType);
    if (missing) {
      return reply.code(403).send(
        hubspotError(
          'MISSING_SCOPES',
          "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
          {
            errors: [
              {
                message: 'One or more of the following scopes are required.',
                context: { requiredScopes: [missing] },
              },
            ],
            links: { scopes: 'https://developers.hubspot.com/scopes' },
          },
        ),
      );
    }
    const now = Date.now();
    // Search is limited on its own, per second, and its answers carry no rate-limit headers.
    if (path === SEARCH_ROUTE) {
      if (mock.searchLimiter.tryTake(now)) return;
      mock.truth.rateLimited++;
      return reply.code(429).send(rateLimited('You have reached your secondly limit.', 'SECONDLY'));
    }
    if (!mock.daily.tryTake(now)) {
      mock.truth.rateLimited++;
      limitHeaders(mock, reply, now);
      return reply.code(429).send(rateLimited('You have reached your daily limit.', 'DAILY'));
    }
    if (!mock.limiter.tryTake(now)) {
      mock.truth.rateLimited++;
      limitHeaders(mock, reply, now);
      return reply
        .code(429)
        .send(rateLimited('You have reached your ten_secondly_rolling limit.', 'TEN_SECONDLY_ROLLING'));
    }
    limitHeaders(mock, reply, now);
  });
}
