import type { createHttpClient, createRawClient } from '../../pipeline/outbound/http-client.js';
import { retryAfterMs } from '../../pipeline/outbound/retry.js';
import type { AccessCheck, ProbeResult } from '../types.js';
import { missingPrivileges, POC_PRIVILEGES } from './privileges.js';

type Request = ReturnType<typeof createHttpClient>;
type RawRequest = ReturnType<typeof createRawClient>;

/** The only limit header Dataverse sends that counts requests (shared/vendors.md §5.3, unverified). */
const BURST_REMAINING = 'x-ms-ratelimit-burst-remaining-xrm-requests';

async function check(name: string, ok: string, run: () => Promise<unknown>): Promise<AccessCheck> {
  try {
    await run();
    return { name, ok: true, detail: ok };
  } catch (err) {
    const message = (err as Error).message;
    // A 403 PrivilegeDenied names the privilege: say that first (the body may be cut short).
    const denied = /is missing (prv\w+) privilege/.exec(message)?.[1];
    return {
      name,
      ok: false,
      detail: denied ? `missing ${denied}: add it to a security role of the application user` : message,
    };
  }
}

/**
 * The privileges the user's roles grant, from RetrieveUserPrivileges (Dataverse's introspection:
 * there are no OAuth scopes to read off the token), compared with what poc needs.
 */
async function privilegesCheck(request: Request, userId: string): Promise<AccessCheck> {
  const name = 'privileges';
  try {
    const res = await request(
      'systemusers.privileges',
      'GET',
      `/systemusers(${userId})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`,
    );
    const rows = ((res.body ?? {}) as { RolePrivileges?: { PrivilegeName?: string }[] }).RolePrivileges ?? [];
    const missing = missingPrivileges(new Set(rows.map((r) => r.PrivilegeName ?? '')));
    if (missing.length === 0) {
      return {
        name,
        ok: true,
        detail: `the application user's roles grant all ${Object.keys(POC_PRIVILEGES).length} privileges poc needs`,
      };
    }
    return {
      name,
      ok: false,
      detail: `missing ${missing.join(', ')}: add them to a security role of the application user`,
    };
  } catch (err) {
    return { name, ok: false, detail: (err as Error).message };
  }
}

/**
 * What `poc doctor` verifies: the token works (WhoAmI), the application user's security roles
 * grant every privilege poc needs, and contacts and the SDK message tables that webhook
 * registration reads answer (a 403 there names the privilege Dataverse refused).
 */
export async function checkDataverseAccess(request: Request): Promise<AccessCheck[]> {
  const checks: AccessCheck[] = [];
  let userId: string | undefined;
  try {
    const who = (await request('whoami', 'GET', '/WhoAmI')).body as {
      UserId?: string;
      OrganizationId?: string;
    };
    userId = who.UserId;
    checks.push({
      name: 'token',
      ok: true,
      detail: `valid: application user ${who.UserId ?? '?'} in organization ${who.OrganizationId ?? '?'}`,
    });
  } catch (err) {
    checks.push({ name: 'token', ok: false, detail: (err as Error).message });
    return checks;
  }
  checks.push(
    userId
      ? await privilegesCheck(request, userId)
      : { name: 'privileges', ok: false, detail: 'WhoAmI named no UserId to look the privileges up for' },
  );
  checks.push(
    await check('contacts', 'GET /contacts answered 200', () =>
      request('contacts.list', 'GET', '/contacts?$select=contactid&$top=1'),
    ),
  );
  checks.push(
    await check('webhook registration', 'can read sdkmessages (needed to register steps)', () =>
      request('sdkmessages.find', 'GET', "/sdkmessages?$select=sdkmessageid&$filter=name eq 'Update'"),
    ),
  );
  return checks;
}

/** One cheap read, never retried: throttled means 429 (service protection). */
export async function probeDataverse(once: RawRequest): Promise<ProbeResult> {
  const res = await once('contacts.probe', 'GET', '/contacts?$select=contactid&$top=1');
  const remaining = Number(res.headers.get(BURST_REMAINING) ?? Number.NaN);
  return {
    status: res.status,
    throttled: res.status === 429,
    retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
    // Dataverse states neither the limit nor the window in headers, only what is left.
    advertised: Number.isFinite(remaining) ? { remaining } : {},
    at: Date.now(),
  };
}
