import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { gatedPath, isRouted, routeParam } from '../api-route.js';
import { NOT_FOUND, SESSION_INVALID, sfErrors } from './errors.js';
import { KEY_PREFIX, salesforceId } from './ids.js';
import type { SalesforceMock } from './mock.js';

interface TokenForm {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
  username?: string;
  password?: string;
}

function same(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function origin(req: FastifyRequest): string {
  return `${req.protocol}://${req.headers.host ?? req.hostname}`;
}

function limitInfo(mock: SalesforceMock, reply: FastifyReply, now: number): void {
  const { used, limit } = mock.apiUsage(now);
  void reply.header('sforce-limit-info', `api-usage=${used}/${limit}`);
}

/**
 * OAuth 2.0 token endpoint and the REST API's gate: session check, the org's API allocation
 * (403 REQUEST_LIMIT_EXCEEDED past it, never 429) and Sforce-Limit-Info.
 */
export function registerAuthRoutes(app: FastifyInstance, mock: SalesforceMock): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.post<{ Body: TokenForm }>('/services/oauth2/token', async (req, reply) => {
    const form = req.body ?? {};
    const { settings, credentials } = mock;
    // The mock has one credential: it is the connected app's client secret and the user's password.
    if (form.grant_type !== 'password' && form.grant_type !== 'client_credentials') {
      return reply
        .code(400)
        .send({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
    }
    if (form.client_id !== settings.clientId) {
      return reply
        .code(400)
        .send({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    }
    if (!same(form.client_secret, credentials.token)) {
      return reply
        .code(400)
        .send({ error: 'invalid_client', error_description: 'invalid client credentials' });
    }
    if (
      form.grant_type === 'password' &&
      (form.username !== settings.username || !same(form.password, credentials.token))
    ) {
      return reply.code(400).send({ error: 'invalid_grant', error_description: 'authentication failure' });
    }
    const now = Date.now();
    const instanceUrl = origin(req);
    mock.instanceUrl = instanceUrl;
    const id = `${instanceUrl}/id/${mock.organizationId}/${salesforceId(KEY_PREFIX.User, 1)}`;
    const issuedAt = String(now);
    return {
      access_token: mock.sessions.issue(mock.organizationId, now),
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
      // Base64 HMAC-SHA256 of id + issued_at keyed with the client secret, as Salesforce signs it.
      signature: createHmac('sha256', credentials.token)
        .update(id + issuedAt)
        .digest('base64'),
      scope: 'api',
    };
  });

  // Decided on the route the router matched, never the raw URL (mock-vendor/api-route.ts).
  app.addHook('onRequest', async (req, reply) => {
    const path = gatedPath(req);
    // The version list (/services/data and /services/data/) is public; everything under it needs a session.
    if (!path.startsWith('/services/data/') || path === '/services/data/') return;
    const segment = isRouted(req) ? routeParam(req, 'version') : /^\/services\/data\/([^/]*)/.exec(path)?.[1];
    mock.truth.apiRequests++;
    const now = Date.now();
    const auth = req.headers.authorization ?? '';
    const token = /^(Bearer|OAuth) /.test(auth) ? auth.slice(auth.indexOf(' ') + 1) : '';
    if (!mock.sessions.touch(token, now)) return reply.code(401).send(SESSION_INVALID);
    mock.instanceUrl = origin(req);
    const version = /^v(\d+\.\d)$/.exec(segment ?? '')?.[1];
    if (!version || !mock.settings.apiVersions.includes(version)) return reply.code(404).send(NOT_FOUND);
    // Outages, storms, latency and 500s are injected by the shared fault hook before this one,
    // in Salesforce's shape (faults.ts); what is left here is the org's own allocation.
    if (!mock.allocation.tryTake(now)) {
      mock.truth.rateLimited++;
      limitInfo(mock, reply, now);
      return reply.code(403).send(sfErrors('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
    }
    limitInfo(mock, reply, now);
  });
}
