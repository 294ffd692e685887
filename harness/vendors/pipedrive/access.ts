import type { RawResponse } from '../../pipeline/outbound/http-client.js';
import type { AccessCheck } from '../types.js';
import { PROBE_PATH } from './probe.js';

type RequestOnce = (operation: string, method: string, path: string) => Promise<RawResponse>;

/** poc creates its poc_seq person field on first use (see field-keys.ts). */
const REQUIRED_PERMISSIONS = ['can_add_custom_fields'] as const;

interface MeBody {
  data?: { id?: number; company_name?: string; company_domain?: string } | null;
}

function parsed<T>(res: RawResponse): T | undefined {
  try {
    return JSON.parse(res.body) as T;
  } catch {
    return undefined;
  }
}

/** One GET; an unreachable host becomes a status-0 answer so doctor reports it instead of crashing. */
async function get(once: RequestOnce, operation: string, path: string): Promise<RawResponse> {
  try {
    return await once(operation, 'GET', path);
  } catch (err) {
    // The error's code only: a message could quote the URL, which carries a query token.
    const code = (err as { cause?: { code?: unknown } }).cause?.code;
    const error = `unreachable (${typeof code === 'string' ? code : (err as Error).name})`;
    return { status: 0, headers: new Headers(), body: JSON.stringify({ error }) };
  }
}

/** The vendor's `error` text, never the request (a query token would sit in its URL). */
function why(res: RawResponse): string {
  const error = parsed<{ error?: unknown }>(res)?.error;
  // Not JSON (a proxy's page): the status says enough.
  if (typeof error !== 'string') return `answered ${res.status}`;
  return res.status === 0 ? `failed: ${error}` : `answered ${res.status} ${error}`;
}

/** What to do about a refusal; a 403 means a missing OAuth scope only when the token is OAuth. */
function fix(res: RawResponse, oauthScope: string, oauth: boolean): string {
  if (res.status === 0) return 'check POC_PIPEDRIVE_BASE_URL and the network';
  if (res.status === 401) return 'the token is refused: check POC_PIPEDRIVE_API_TOKEN';
  if (res.status === 403 && oauth) return `the OAuth app needs scope ${oauthScope}`;
  if (res.status === 429) return 'over the rate limit or the daily token budget: try again later';
  if (res.status >= 500) return 'Pipedrive is failing: try again later';
  return 'check the user and the company in Pipedrive';
}

async function endpoint(
  once: RequestOnce,
  name: string,
  path: string,
  scope: string,
  oauth: boolean,
): Promise<AccessCheck> {
  const res = await get(once, name.replaceAll(' ', '_'), path);
  const bare = path.split('?')[0];
  if (res.status === 200) return { name, ok: true, detail: `GET ${bare} answered 200` };
  return { name, ok: false, detail: `GET ${bare} ${why(res)}: ${fix(res, scope, oauth)}` };
}

/**
 * `poc doctor` for Pipedrive: who the token is (GET /v1/users/me), whether that user may do what
 * poc does (GET /v1/users/{id}/permissions), then every API poc calls. One request each, no retry.
 */
export async function checkPipedriveAccess(once: RequestOnce, oauth: boolean): Promise<AccessCheck[]> {
  const checks: AccessCheck[] = [];
  const me = await get(once, 'users.me', '/v1/users/me');
  const user = me.status === 200 ? parsed<MeBody>(me)?.data : undefined;
  if (user?.id === undefined) {
    checks.push({
      name: 'token',
      ok: false,
      detail: `GET /v1/users/me ${why(me)}: ${fix(me, 'base', oauth)}`,
    });
    return checks;
  }
  const company = user.company_domain ?? user.company_name ?? '?';
  checks.push({ name: 'token', ok: true, detail: `valid for user ${user.id} of company ${company}` });

  const perms = await get(once, 'users.permissions', `/v1/users/${user.id}/permissions`);
  if (perms.status !== 200) {
    checks.push({
      name: 'permissions',
      ok: false,
      detail: `GET /v1/users/${user.id}/permissions ${why(perms)}: ${fix(perms, 'users:read', oauth)}`,
    });
  } else {
    const granted = parsed<{ data?: Record<string, unknown> | null }>(perms)?.data ?? {};
    const missing = REQUIRED_PERMISSIONS.filter((p) => granted[p] !== true);
    checks.push({
      name: 'permissions',
      ok: missing.length === 0,
      detail:
        missing.length === 0
          ? `has ${REQUIRED_PERMISSIONS.join(', ')}`
          : `missing ${missing.join(', ')}: poc adds its poc_seq person field; grant it in the user's permission set (or create the field by hand)`,
    });
  }
  checks.push(await endpoint(once, 'persons api', PROBE_PATH, 'contacts:read', oauth));
  checks.push(
    await endpoint(
      once,
      'persons search',
      '/api/v2/persons/search?term=poc-doctor%40example.invalid&fields=email&exact_match=true',
      'search:read',
      oauth,
    ),
  );
  checks.push(await endpoint(once, 'webhooks api', '/v1/webhooks', 'admin', oauth));
  return checks;
}
