import type { FastifyInstance } from 'fastify';
import { SYSTEM_USER } from './wire.js';

const ORG_ID = '4876876000000000001';

/**
 * `GET /crm/v8/users?type=CurrentUser` and `GET /crm/v8/org`: Zoho's SDK asks who owns a new
 * token and which org it is in before its first call, to file the token and the field metadata.
 */
export function registerUserRoutes(crm: FastifyInstance): void {
  crm.get('/users', async () => ({
    users: [
      {
        id: SYSTEM_USER.id,
        full_name: SYSTEM_USER.name,
        first_name: 'poc',
        last_name: 'mock',
        email: 'mock-user@poc.example',
        status: 'active',
        confirm: true,
        role: { name: 'CEO', id: '4876876000000100010' },
        profile: { name: 'Administrator', id: '4876876000000100020' },
      },
    ],
    info: { per_page: 200, count: 1, page: 1, more_records: false },
  }));

  crm.get('/org', async () => ({
    org: [
      {
        id: ORG_ID,
        company_name: 'poc mock org',
        primary_email: 'mock-user@poc.example',
        time_zone: 'UTC',
        currency: 'US Dollar - USD',
        zgid: '900000001',
        domain_name: 'org900000001',
      },
    ],
  }));
}
