import type { HttpRequest } from '../../pipeline/outbound/http-client.js';
import type { AccessCheck } from '../types.js';
import { EXTERNAL_ID_FIELD, toSalesforceField } from './fields.js';

interface UserInfo {
  preferred_username?: string;
  user_type?: string;
  active?: boolean;
}

interface ContactDescribe {
  queryable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  fields?: { name: string; createable?: boolean; updateable?: boolean; externalId?: boolean }[];
}

/** The Contact fields poc writes: the canonical ones mapped, and the external id it upserts on. */
const WRITTEN_FIELDS = [
  ...['firstname', 'lastname', 'email', 'phone', 'poc_seq'].map(toSalesforceField),
  EXTERNAL_ID_FIELD,
];

const GRANT = "grant it in the integration user's profile or a permission set";

/** What describe says the user may not do with Contact, or which written field it cannot set. */
function contactGaps(d: ContactDescribe): { object: string[]; fields: string[] } {
  const object: string[] = [];
  if (d.queryable !== true) object.push('Read');
  if (d.createable !== true) object.push('Create');
  if (d.updateable !== true) object.push('Edit');
  const byName = new Map((d.fields ?? []).map((f) => [f.name, f]));
  const fields: string[] = [];
  for (const name of WRITTEN_FIELDS) {
    const f = byName.get(name);
    // Describe lists only the fields the user can see (field-level security).
    if (!f) fields.push(`${name} (missing or hidden)`);
    else if (f.createable !== true || f.updateable !== true) fields.push(`${name} (read-only)`);
    else if (name === EXTERNAL_ID_FIELD && f.externalId !== true) fields.push(`${name} (not External ID)`);
  }
  return { object, fields };
}

/**
 * Whose session the token is, from UserInfo. A connected app without the `openid`/`id` scope may
 * be refused there while the REST API (scope `api`, all poc needs) accepts it [unverified]: then
 * the versioned REST root decides, and the check only says the owner is unknown.
 */
async function checkToken(request: HttpRequest, dataPath: string): Promise<AccessCheck> {
  try {
    const me = ((await request('identity.userinfo', 'GET', '/services/oauth2/userinfo')).body ??
      {}) as UserInfo;
    const active = me.active !== false;
    // The org id is left out: poc takes it as the webhook "secret" (see auth.ts).
    return {
      name: 'token',
      ok: active,
      detail: active
        ? `valid session for ${me.preferred_username ?? '?'} (${me.user_type ?? '?'} user)`
        : `the session's user ${me.preferred_username ?? '?'} is deactivated`,
    };
  } catch (err) {
    const refused = (err as Error).message;
    try {
      await request('rest.resources', 'GET', dataPath);
      return {
        name: 'token',
        ok: true,
        detail: `the REST API accepts the session; UserInfo refused it (${refused}), so whose it is is unknown: add the openid scope to see it`,
      };
    } catch {
      return {
        name: 'token',
        ok: false,
        detail: `${refused}: get a fresh access token for the org's instance_url`,
      };
    }
  }
}

/**
 * `poc doctor` for Salesforce: the token against the UserInfo endpoint, then the integration
 * user's Contact permissions from describe (which answers for the caller), then one SOQL query.
 * Error details come from the vendor's answers, which never echo the token.
 */
export async function checkSalesforceAccess(request: HttpRequest, dataPath: string): Promise<AccessCheck[]> {
  const token = await checkToken(request, dataPath);
  const checks: AccessCheck[] = [token];
  if (!token.ok) return checks;
  try {
    const res = await request('contacts.describe', 'GET', `${dataPath}/sobjects/Contact/describe`);
    const gaps = contactGaps((res.body ?? {}) as ContactDescribe);
    checks.push({
      name: 'contact permissions',
      ok: gaps.object.length === 0,
      detail:
        gaps.object.length === 0
          ? 'Read, Create and Edit on Contact'
          : `missing ${gaps.object.join(', ')} on Contact: ${GRANT}`,
    });
    checks.push({
      name: 'contact fields',
      ok: gaps.fields.length === 0,
      detail:
        gaps.fields.length === 0
          ? `can write ${WRITTEN_FIELDS.join(', ')}; ${EXTERNAL_ID_FIELD} is an External ID`
          : `cannot write ${gaps.fields.join(', ')}: create the custom fields and give the user edit access (field-level security)`,
    });
  } catch (err) {
    checks.push({ name: 'contact permissions', ok: false, detail: (err as Error).message });
  }
  try {
    await request(
      'contacts.query',
      'GET',
      `${dataPath}/query?q=${encodeURIComponent('SELECT Id FROM Contact LIMIT 1')}`,
    );
    checks.push({ name: 'records api', ok: true, detail: `GET ${dataPath}/query on Contact answered 200` });
  } catch (err) {
    checks.push({ name: 'records api', ok: false, detail: (err as Error).message });
  }
  return checks;
}
