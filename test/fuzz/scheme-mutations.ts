import { signHeaders } from '../../harness/vendors/hubspot/signature.js';
import { B64, type Build, type Expectation, garbage, get, sign, valid } from './delivery.js';

// Mutations aimed at one kind of proof: signatures and timestamps, or a vendor's credential.

// ---- signature schemes ------------------------------------------------------------------------

const SIG_HEADER: Readonly<Record<string, string>> = {
  hubspot: 'x-hubspot-signature-v3',
  standard: 'webhook-signature',
};
const TS_HEADER: Readonly<Record<string, string>> = {
  hubspot: 'x-hubspot-request-timestamp',
  standard: 'webhook-timestamp',
};

export const randomSignature: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const name = SIG_HEADER[ctx.target.vendor] ?? '';
  const value = get(base.headers, name);
  const forged = rng.pick([
    () => garbage(rng, value.length, B64),
    () => `${value.slice(0, -2)}${garbage(rng, 2, B64)}`,
    () => value.slice(0, rng.int(0, value.length - 1)),
    () => value.toLowerCase(),
    () => (value.startsWith('v1,') ? `v1a,${value.slice(3)}` : `v1=${value}`),
    () => ' ',
  ])();
  return {
    mutation: 'wrong-signature',
    path: ctx.path,
    headers: { ...base.headers, [name]: forged },
    body: base.body,
    expect: forged === value ? 'accept' : 'forged',
  };
};

export function timestampOutside(direction: -1 | 1): Build {
  return (ctx, rng, n) => {
    const tolerance = ctx.target.adapter.profile.webhooks.timestampToleranceMs.value;
    const timestamp = Date.now() + direction * (tolerance + rng.int(2_000, 86_400_000));
    const body = ctx.target.body(rng, n, ctx.target.secret);
    return {
      mutation: direction < 0 ? 'stale-timestamp' : 'future-timestamp',
      path: ctx.path,
      headers: sign(ctx, body, { timestamp }),
      body,
      expect: 'forged',
    };
  };
}

export const timestampTamper: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const name = TS_HEADER[ctx.target.vendor] ?? '';
  const ts = Number(get(base.headers, name));
  const step = ctx.target.vendor === 'standard' ? rng.int(1, 100) : rng.int(1, 1_000);
  const forged = rng.pick([
    String(ts + step),
    String(ts - step),
    `${ts}.5`,
    `-${ts}`,
    `${ts}e0`,
    ' ',
    `0x${ts.toString(16)}`,
  ]);
  return {
    mutation: 'timestamp-tamper',
    path: ctx.path,
    headers: { ...base.headers, [name]: forged },
    body: base.body,
    expect: 'forged',
  };
};

/** HubSpot signs the URL: another query, path spelling or Host must fail. */
export const urlTamper: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const port = ctx.origin.split(':').at(-1) ?? '';
  if (rng.chance(0.5)) {
    return {
      mutation: 'host-tamper',
      path: ctx.path,
      headers: {
        ...base.headers,
        host: rng.pick([`localhost:${port}`, `127.0.0.1:${Number(port) + 1}`, 'evil.example']),
      },
      body: base.body,
      expect: 'forged',
    };
  }
  const path = rng.pick([`${ctx.path}?x=1`, `${ctx.path}?`, `${ctx.path}?code=1`, `${ctx.path}/`]);
  return { mutation: 'url-tamper', path, headers: base.headers, body: base.body, expect: 'forged' };
};

/** HubSpot's v1/v2 carry no timestamp; the receiver refuses them unless told otherwise. */
export const legacyDowngrade: Build = (ctx, rng, n) => {
  const body = ctx.target.body(rng, n, ctx.target.secret);
  return {
    mutation: 'legacy-downgrade',
    path: ctx.path,
    headers: {
      'content-type': 'application/json',
      ...legacyHubspot(ctx.target.secret, `${ctx.origin}${ctx.path}`, body, rng.chance(0.5) ? 'v1' : 'v2'),
    },
    body,
    expect: 'reject',
  };
};

function legacyHubspot(
  secret: string,
  url: string,
  body: Buffer,
  version: 'v1' | 'v2',
): Record<string, string> {
  return signHeaders(secret, version, { method: 'POST', url, body, timestamp: 0 });
}

/** Standard Webhooks: the id is signed; the Svix-branded names and extra entries are allowed. */
export const standardHeaders: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const h = base.headers;
  const choice = rng.int(0, 2);
  if (choice === 0) {
    return {
      mutation: 'id-tamper',
      path: ctx.path,
      headers: { ...h, 'webhook-id': `${get(h, 'webhook-id')}${garbage(rng, 1, B64)}` },
      body: base.body,
      expect: 'forged',
    };
  }
  if (choice === 1) {
    const renamed: Record<string, string> = { 'content-type': get(h, 'content-type') };
    for (const k of ['id', 'timestamp', 'signature']) renamed[`svix-${k}`] = get(h, `webhook-${k}`);
    return { mutation: 'svix-names', path: ctx.path, headers: renamed, body: base.body, expect: 'accept' };
  }
  const sig = get(h, 'webhook-signature');
  return {
    mutation: 'extra-signature-entry',
    path: ctx.path,
    headers: { ...h, 'webhook-signature': `v1,${garbage(rng, 44, B64)} ${sig} v2,${garbage(rng, 8, B64)}` },
    body: base.body,
    expect: 'accept',
  };
};

// ---- credential schemes -----------------------------------------------------------------------

/** Dataverse: the key may come as ?code= instead of the header. */
export const dynamicsQuery: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const headers = { ...base.headers };
  delete headers['x-poc-key'];
  const right = rng.chance(0.3);
  const code = right ? ctx.target.secret : ctx.target.nearMiss(rng);
  return {
    mutation: right ? 'query-code:right' : 'query-code:wrong',
    path: `${ctx.path}?code=${encodeURIComponent(code)}`,
    headers,
    body: base.body,
    expect: right ? 'accept' : 'forged',
  };
};

export const pipedriveAuth: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const secret = ctx.target.secret;
  const [mutation, value, expect] = rng.pick<[string, string, Expectation]>([
    ['auth:bearer', `Bearer ${b64(`poc:${secret}`)}`, 'reject'],
    ['auth:other-user', `Basic ${b64(`admin:${secret}`)}`, 'reject'],
    ['auth:no-user', `Basic ${b64(secret)}`, 'reject'],
    ['auth:empty-password', `Basic ${b64('poc:')}`, 'forged'],
    ['auth:raw-password', `Basic ${secret}`, 'reject'],
    ['auth:lower-case', `basic ${b64(`poc:${secret}`)}`, 'accept'],
    ['auth:extra-colon', `Basic ${b64(`poc:${secret}:`)}`, 'reject'],
    ['auth:prefix-password', `Basic ${b64(`poc:${secret.slice(0, -1)}`)}`, 'forged'],
    ['auth:user-only', `Basic ${b64('poc')}`, 'forged'],
  ]);
  return {
    mutation,
    path: ctx.path,
    headers: { ...base.headers, authorization: value },
    body: base.body,
    expect,
  };
};

export const zohoToken: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const secret = ctx.target.secret;
  const text = base.body.toString('utf8');
  const field = `"token":${JSON.stringify(secret)}`;
  const wrong = `"token":${JSON.stringify(ctx.target.nearMiss(rng))}`;
  const escaped = [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  const [mutation, replacement, expect] = rng.pick<[string, string, Expectation]>([
    ['token:number', '"token":12345', 'forged'],
    ['token:null', '"token":null', 'forged'],
    ['token:empty', '"token":""', 'forged'],
    ['token:array', `"token":[${JSON.stringify(secret)}]`, 'reject'],
    ['token:object', `"token":{"token":${JSON.stringify(secret)}}`, 'reject'],
    // JSON.parse keeps the last of repeated keys.
    ['token:duplicate-wrong-last', `${field},${wrong}`, 'reject'],
    ['token:duplicate-right-last', `${wrong},${field}`, 'accept'],
    ['token:escaped', `"token":"${escaped}"`, 'accept'],
    ['token:padded', `"token":${JSON.stringify(` ${secret} `)}`, 'reject'],
    ['token:wrong-key', `"Token":${JSON.stringify(secret)}`, 'reject'],
  ]);
  return {
    mutation,
    path: ctx.path,
    headers: base.headers,
    body: Buffer.from(text.replace(field, replacement)),
    expect,
  };
};

export const salesforceOrg: Build = (ctx, rng, n) => {
  const base = valid(ctx, rng, n);
  const secret = ctx.target.secret;
  const tag = `<OrganizationId>${secret}</OrganizationId>`;
  const wrong = `<OrganizationId>${ctx.target.nearMiss(rng)}</OrganizationId>`;
  const [mutation, replacement, expect] = rng.pick<[string, string, Expectation]>([
    ['org:duplicate', `${tag}\n${wrong}`, 'reject'],
    ['org:duplicate-wrong-only', `${wrong}\n${wrong}`, 'forged'],
    ['org:nested', `<OrganizationId><x>${secret}</x></OrganizationId>`, 'reject'],
    ['org:empty', '<OrganizationId/>', 'forged'],
    ['org:padded', `<OrganizationId>\n ${secret} \n</OrganizationId>`, 'accept'],
    ['org:cdata', `<OrganizationId><![CDATA[${secret}]]></OrganizationId>`, 'accept'],
    ['org:entity', `<OrganizationId>&#${secret.charCodeAt(0)};${secret.slice(1)}</OrganizationId>`, 'accept'],
    [
      'org:comment',
      `<OrganizationId>${secret.slice(0, 5)}<!--x-->${secret.slice(5)}</OrganizationId>`,
      'accept',
    ],
    ['org:other-namespace', `<o:OrganizationId xmlns:o="urn:evil">${secret}</o:OrganizationId>`, 'reject'],
    ['org:15-of-18', `<OrganizationId>${secret.slice(0, 15)}</OrganizationId>`, 'reject'],
  ]);
  return {
    mutation,
    path: ctx.path,
    headers: base.headers,
    body: Buffer.from(base.body.toString('utf8').replace(tag, replacement)),
    expect,
  };
};
