import type { RawResponse } from '../../pipeline/outbound/http-client.js';
import type { AccessCheck } from '../types.js';
import { ZOHO_DUPLICATE_CHECK_FIELD } from './fields.js';
import { ZOHO_PROBE_PATH } from './probe.js';
import { ZOHO_FACTS, zohoProfile } from './profile.js';

type Send = (operation: string, method: string, path: string, body?: unknown) => Promise<RawResponse>;

/** Zoho's error body (`{code, details, message, status}`); anything else reads as no code. */
function errorCode(res: RawResponse): string | undefined {
  try {
    const code = (JSON.parse(res.body) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

function answered(method: string, path: string, res: RawResponse): string {
  const code = errorCode(res);
  return `${method} ${path.split('?')[0]} answered ${res.status}${code ? ` ${code}` : ''}`;
}

/**
 * One scope poc needs, checked by a call that changes nothing. Zoho has no endpoint that lists
 * a token's scopes, but it checks the scope (401 OAUTH_SCOPE_MISMATCH) and the user's profile
 * permission (403 NO_PERMISSION) before reading the body, so a write with an empty `data` or
 * `watch` list shows the grant and is then refused 400 for being empty.
 */
interface ScopeProbe {
  readonly name: string;
  readonly scope: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** The statuses that prove the call got past the scope and permission checks. */
  readonly passed: readonly number[];
}

const SCOPE_PROBES: readonly ScopeProbe[] = [
  {
    name: 'contacts read',
    scope: 'ZohoCRM.modules.contacts.READ (or .ALL)',
    method: 'GET',
    path: ZOHO_PROBE_PATH,
    passed: [200, 204, 304],
  },
  {
    name: 'contacts upsert',
    scope: 'ZohoCRM.modules.contacts.CREATE and .UPDATE (or .WRITE / .ALL)',
    method: 'POST',
    path: '/crm/v8/Contacts/upsert',
    body: { data: [], duplicate_check_fields: [ZOHO_DUPLICATE_CHECK_FIELD] },
    passed: [400],
  },
  {
    name: 'notifications',
    scope: 'ZohoCRM.notifications.CREATE (or .WRITE / .ALL)',
    method: 'POST',
    path: '/crm/v8/actions/watch',
    body: { watch: [] },
    passed: [400],
  },
];

async function checkScope(send: Send, p: ScopeProbe): Promise<AccessCheck> {
  const res = await send(`access.${p.name.replaceAll(' ', '_')}`, p.method, p.path, p.body);
  const code = errorCode(res);
  if (p.passed.includes(res.status) && code !== 'OAUTH_SCOPE_MISMATCH') {
    const how =
      p.body === undefined ? '' : ', refused for its empty list after the scope check: nothing written';
    return {
      name: p.name,
      ok: true,
      detail: `${p.scope} granted (${answered(p.method, p.path, res)}${how})`,
    };
  }
  if (code === 'OAUTH_SCOPE_MISMATCH')
    return {
      name: p.name,
      ok: false,
      detail: `missing scope ${p.scope}: authorise the client again with it`,
    };
  if (code === 'NO_PERMISSION')
    return {
      name: p.name,
      ok: false,
      detail: `the user's CRM profile lacks permission for ${p.method} ${p.path.split('?')[0]}: grant it under Setup > Profiles`,
    };
  return { name: p.name, ok: false, detail: answered(p.method, p.path, res) };
}

/** Who the token belongs to; Zoho checks the token before the scope, so a scope error proves it. */
async function checkToken(send: Send): Promise<AccessCheck> {
  const path = '/crm/v8/users?type=CurrentUser';
  const res = await send('access.current_user', 'GET', path);
  const code = errorCode(res);
  const env = zohoProfile.credentialsEnv.token;
  if (res.status === 200) {
    const user = (JSON.parse(res.body) as { users?: { id?: string; profile?: { name?: string } }[] })
      .users?.[0];
    return {
      name: 'token',
      ok: true,
      detail: `valid for user ${user?.id ?? '?'} (CRM profile ${user?.profile?.name ?? '?'})`,
    };
  }
  if (code === 'OAUTH_SCOPE_MISMATCH')
    return {
      name: 'token',
      ok: true,
      detail: 'valid (ZohoCRM.users.READ not granted, so the user is not named)',
    };
  if (code === 'INVALID_TOKEN' || code === 'AUTHENTICATION_FAILURE')
    return {
      name: 'token',
      ok: false,
      detail: `${answered('GET', path, res)}: ${env} is wrong, expired (access tokens last ${ZOHO_FACTS.accessTokenTtlMs.value / 60_000} min) or from another data centre; refresh it`,
    };
  return { name: 'token', ok: false, detail: answered('GET', path, res) };
}

/**
 * `poc doctor` for Zoho: the token, the scopes poc's calls need, and the records API. Four calls,
 * one credit each; nothing is written. Details name variables and scopes, never their values.
 */
export async function checkZohoAccess(send: Send, channelToken?: string): Promise<AccessCheck[]> {
  const checks: AccessCheck[] = [];
  try {
    const token = await checkToken(send);
    checks.push(token);
    if (!token.ok) return checks;
    for (const p of SCOPE_PROBES) checks.push(await checkScope(send, p));
  } catch (err) {
    checks.push({ name: 'api', ok: false, detail: (err as Error).message });
    return checks;
  }
  if (channelToken !== undefined) {
    const max = ZOHO_FACTS.channelTokenMaxLength.value;
    checks.push({
      name: 'channel token',
      ok: channelToken.length > 0 && channelToken.length <= max,
      detail: `${channelToken.length} characters; Zoho takes 1 to ${max} for a channel's token`,
    });
  }
  return checks;
}
