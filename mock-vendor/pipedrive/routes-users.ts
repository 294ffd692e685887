import type { FastifyInstance } from 'fastify';
import { pipedriveError } from './errors.js';
import type { PipedriveMock } from './mock.js';
import { userPermissions } from './permissions.js';

/** Pipedrive's `YYYY-MM-DD HH:MM:SS` (UTC) timestamps. */
function pipedriveTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The token's user, as GET /v1/users/me answers it: BaseUser plus the company fields (official
 * client's GetCurrentUserResponse). An admin holds every permission, so a user the test took one
 * from is a regular user on a permission set.
 */
function currentUser(mock: PipedriveMock, startedAt: number) {
  const { userId, companyId, companyDomain } = mock.settings;
  const admin = Object.values(userPermissions(mock.settings.userPermissions)).every(Boolean);
  return {
    id: userId,
    name: 'poc sandbox',
    default_currency: 'EUR',
    locale: 'en_US',
    lang: 1,
    email: `poc@${companyDomain}.example`,
    phone: null,
    activated: true,
    last_login: pipedriveTime(startedAt),
    created: pipedriveTime(startedAt),
    modified: null,
    has_created_company: admin,
    access: [
      admin
        ? { app: 'sales', admin: true }
        : { app: 'sales', admin: false, permission_set_id: '62cc4d7f-4038-4352-abf3-a8c1c822b631' },
    ],
    active_flag: true,
    timezone_name: 'UTC',
    timezone_offset: '+00:00',
    role_id: 1,
    icon_url: null,
    is_you: true,
    is_deleted: false,
    company_id: companyId,
    company_name: 'poc sandbox',
    company_domain: companyDomain,
    company_country: 'EE',
    company_industry: 'Software',
    language: { language_code: 'en', country_code: 'US' },
  };
}

/** The identity endpoints `poc doctor` reads: who the token is and what that user may do. */
export function registerUserRoutes(app: FastifyInstance, mock: PipedriveMock): void {
  const startedAt = Date.now();
  app.get('/v1/users/me', async () => ({ success: true, data: currentUser(mock, startedAt) }));

  // The mock company has one user; another id is unknown to it.
  app.get<{ Params: { id: string } }>('/v1/users/:id/permissions', async (req, reply) => {
    if (Number(req.params.id) !== mock.settings.userId) {
      return reply.code(404).send(pipedriveError('User not found'));
    }
    return { success: true, data: userPermissions(mock.settings.userPermissions) };
  });
}
