import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { gatedPath } from '../api-route.js';
import { TOKEN_ROUTE } from './error-replies.js';
import { DATAVERSE_CODES, odataError } from './errors.js';
import { APPLICATION_USER_ID, type DynamicsMock } from './mock.js';
import { WEB_API_PREFIX } from './web-api-path.js';

interface TokenForm {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
  scope?: string;
}

/** Entra ID's error body for the token endpoint (AADSTS codes; wording unverified). */
function entraError(error: string, description: string, codes: number[]) {
  return {
    error,
    error_description: `${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString().replace('T', ' ').slice(0, 19)}Z`,
    error_codes: codes,
    timestamp: new Date().toISOString(),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
  };
}

/**
 * A stand-in for login.microsoftonline.com on the mock itself: the client-credentials grant
 * where the app registration's client secret is the mock's API credential. Real tokens come
 * from Entra ID; this only lets a client run its full token flow against the mock.
 */
export function registerTokenEndpoint(app: FastifyInstance, mock: DynamicsMock): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.post<{ Params: { tenant: string }; Body: TokenForm }>(TOKEN_ROUTE, async (req, reply) => {
    const form = req.body ?? {};
    if (form.grant_type !== 'client_credentials') {
      return reply
        .code(400)
        .send(
          entraError(
            'unsupported_grant_type',
            'AADSTS70003: The app requested an unsupported grant type.',
            [70003],
          ),
        );
    }
    if (!form.client_id || form.client_secret !== mock.credentials.token) {
      return reply
        .code(401)
        .send(
          entraError(
            'invalid_client',
            `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${form.client_id ?? ''}'.`,
            [7000215],
          ),
        );
    }
    if (!form.scope?.endsWith('/.default')) {
      return reply
        .code(400)
        .send(
          entraError(
            'invalid_scope',
            `AADSTS1002012: The provided value for scope ${form.scope ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
            [1002012],
          ),
        );
    }
    const token = randomBytes(32).toString('base64url');
    mock.issuedTokens.set(token, Date.now() + mock.settings.tokenLifetimeS * 1000);
    return {
      token_type: 'Bearer',
      expires_in: mock.settings.tokenLifetimeS,
      ext_expires_in: mock.settings.tokenLifetimeS,
      access_token: token,
    };
  });
}

function bearerOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

function authorised(mock: DynamicsMock, token: string | undefined, now: number): boolean {
  if (token === undefined) return false;
  if (token === mock.credentials.token) return true;
  const expires = mock.issuedTokens.get(token);
  return expires !== undefined && expires > now;
}

/**
 * Bearer auth and service protection for the Web API. Every token of the mock belongs to one
 * application user, and the limits are counted per user (one web server).
 */
export function registerWebApiGuards(app: FastifyInstance, mock: DynamicsMock): void {
  const admitted = new WeakMap<FastifyRequest, number>();
  const { settings } = mock;
  app.addHook('onRequest', async (req, reply) => {
    // Decided on the route the router matched, never the raw URL (mock-vendor/api-route.ts).
    if (!gatedPath(req).startsWith(WEB_API_PREFIX)) return;
    mock.truth.apiRequests++;
    const now = Date.now();
    if (!authorised(mock, bearerOf(req), now)) {
      return reply
        .code(401)
        .header(
          'www-authenticate',
          `Bearer authorization_uri=https://login.microsoftonline.com/${settings.tenantId}/oauth2/authorize, resource_id=https://${settings.organizationName}.crm.dynamics.com/`,
        )
        .send(
          odataError(
            DATAVERSE_CODES.unauthorized,
            'The user is not authenticated: the bearer token is missing, invalid or expired.',
          ),
        );
    }
    const throttle = mock.protection.admit(APPLICATION_USER_ID, now);
    if (throttle) {
      mock.truth.rateLimited++;
      return reply
        .code(429)
        .header('retry-after', String(throttle.retryAfterS))
        .header('odata-version', '4.0')
        .send(odataError(throttle.code, throttle.message));
    }
    admitted.set(req, now);
    void reply.headers({ 'odata-version': '4.0', ...mock.protection.headers(APPLICATION_USER_ID, now) });
  });
  app.addHook('onResponse', async (req) => {
    const started = admitted.get(req);
    if (started === undefined) return;
    const now = Date.now();
    mock.protection.release(APPLICATION_USER_ID, now, now - started);
  });
}
