import type { createHttpClient, createRawClient } from '../../pipeline/outbound/http-client.js';
import { retryAfterMs } from '../../pipeline/outbound/retry.js';
import type { AccessCheck, ProbeResult } from '../types.js';

type Request = ReturnType<typeof createHttpClient>;
type RawRequest = ReturnType<typeof createRawClient>;

/** The only limit header Dataverse sends that counts requests (shared/vendors.md §5.3, unverified). */
const BURST_REMAINING = 'x-ms-ratelimit-burst-remaining-xrm-requests';

async function check(name: string, ok: string, run: () => Promise<unknown>): Promise<AccessCheck> {
  try {
    await run();
    return { name, ok: true, detail: ok };
  } catch (err) {
    return { name, ok: false, detail: (err as Error).message };
  }
}

/**
 * What `poc doctor` verifies: the token works (WhoAmI), the application user may read contacts,
 * and may read the SDK message tables that webhook registration needs (a security role such as
 * System Customizer; Dataverse has no OAuth scopes to list).
 */
export async function checkDataverseAccess(request: Request): Promise<AccessCheck[]> {
  const checks: AccessCheck[] = [];
  try {
    const who = (await request('whoami', 'GET', '/WhoAmI')).body as {
      UserId?: string;
      OrganizationId?: string;
    };
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
