import type { FastifyInstance } from 'fastify';
import { parseMultipart, parseUrlEncoded } from './form-body.js';
import type { ZohoMock } from './mock.js';
import { baseUrlOf } from './wire.js';

/**
 * accounts.zoho.com's token endpoint, on the mock's own origin: `POST /oauth/v2/token` with
 * grant_type=refresh_token. Zoho answers a bad grant with HTTP 200 and `{"error": "..."}`
 * (unverified, widely reported), which is what Zoho's SDK checks for. The api_domain it returns
 * is the mock itself, as a real org gets its data centre's API domain.
 */
export function registerOauthRoutes(app: FastifyInstance, mock: ZohoMock): void {
  app.register(async (accounts) => {
    accounts.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req, body, done) => {
      try {
        done(null, parseMultipart(body as Buffer, req.headers['content-type'] ?? ''));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
    accounts.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => done(null, parseUrlEncoded(body as string)),
    );

    accounts.post<{ Body: Record<string, string> | undefined; Querystring: Record<string, string> }>(
      '/oauth/v2/token',
      async (req) => {
        // Zoho takes the parameters in the query string or the form body.
        const p = { ...req.query, ...(req.body ?? {}) };
        if (p.grant_type !== 'refresh_token') return { error: 'unsupported_grant_type' };
        if (!p.client_id || !p.client_secret) return { error: 'invalid_client' };
        if (p.refresh_token !== mock.settings.refreshToken) return { error: 'invalid_code' };
        const issued = mock.issueToken(Date.now());
        return {
          access_token: issued.token,
          api_domain: baseUrlOf(req),
          token_type: 'Bearer',
          expires_in: Math.round(issued.ttlMs / 1000),
        };
      },
    );
  });
}
