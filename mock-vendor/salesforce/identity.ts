import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KEY_PREFIX, salesforceId } from './ids.js';
import type { SalesforceMock } from './mock.js';

function bearer(req: FastifyRequest): string {
  const auth = req.headers.authorization ?? '';
  return /^(Bearer|OAuth) /.test(auth) ? auth.slice(auth.indexOf(' ') + 1) : '';
}

/**
 * The OpenID Connect UserInfo endpoint (Salesforce Help "Query for User Information"): who the
 * access token belongs to, in which org, and the API endpoints it may use. It sits outside
 * /services/data, so it spends none of the API allocation [unverified]. A bad token is refused
 * with 403 and the plain-text code `Bad_OAuth_Token`, as the Identity Service does [unverified].
 */
export function registerIdentityRoutes(app: FastifyInstance, mock: SalesforceMock): void {
  const userinfo = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!mock.sessions.touch(bearer(req), Date.now())) {
      return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
    }
    const userId = salesforceId(KEY_PREFIX.User, 1);
    // The instance the client reached is the one its endpoints live on.
    const base = `${req.protocol}://${req.headers.host ?? req.hostname}`;
    const data = `${base}/services/data/v{version}`;
    const { username } = mock.settings;
    return {
      sub: `${base}/id/${mock.organizationId}/${userId}`,
      user_id: userId,
      organization_id: mock.organizationId,
      preferred_username: username,
      nickname: username.split('@')[0],
      name: 'poc Integration',
      email: username,
      email_verified: true,
      given_name: 'poc',
      family_name: 'Integration',
      zoneinfo: 'Etc/UTC',
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: 0,
      is_salesforce_integration_user: false,
      urls: {
        rest: `${data}/`,
        sobjects: `${data}/sobjects/`,
        query: `${data}/query/`,
        tooling_rest: `${data}/tooling/`,
        profile: `${base}/${userId}`,
      },
      updated_at: new Date(mock.startedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
  };
  app.get('/services/oauth2/userinfo', userinfo);
  app.post('/services/oauth2/userinfo', userinfo);
}
