import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VENDORS } from '../../harness/vendors/index.js';
import { encodeOutboundMessage } from '../../harness/vendors/salesforce/outbound-message.js';
import type { VendorAdapter } from '../../harness/vendors/types.js';
import type { Rng } from './prng.js';

/**
 * Where a vendor's proof of origin travels. Only `signature` covers the body: for the others a
 * body mutation is undetectable by design, and only a mutated credential can be a forgery.
 */
export type ProofKind = 'signature' | 'header-credential' | 'body-credential';

/** What the fuzzer needs to know about one vendor's webhooks. */
export interface FuzzTarget {
  readonly vendor: string;
  readonly adapter: VendorAdapter;
  /** The secret the receiver under test is started with. */
  readonly secret: string;
  readonly proof: ProofKind;
  /** Lower-case header names that carry the signature, its inputs or the credential. */
  readonly proofHeaders: readonly string[];
  readonly contentType: string;
  /** A small valid body, unique per `n` (so it is not a duplicate), carrying `credential` if it travels in the body. */
  body(rng: Rng, n: number, credential: string): Buffer;
  /** A secret close to the real one that must not verify. */
  nearMiss(rng: Rng): string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * One near miss of a string secret: one character changed, dropped or added, or the case of one
 * letter flipped. Alphanumerics only: an added NUL or whitespace can be equivalent on purpose
 * (HMAC pads short keys with zeros; Salesforce trims the org id), which would not be a forgery.
 */
export function nearMissString(rng: Rng, secret: string): string {
  for (;;) {
    const i = rng.int(0, Math.max(0, secret.length - 1));
    const c = rng.pick([...ALNUM]);
    const candidate = rng.pick([
      () => `${secret.slice(0, i)}${c}${secret.slice(i + 1)}`,
      () => secret.slice(0, -1),
      () => secret.slice(1),
      () => `${secret}${c}`,
      () => `${c}${secret}`,
      () => secret.slice(0, i) + (secret[i] ?? '').toUpperCase() + secret.slice(i + 1),
      () => secret.slice(0, i) + (secret[i] ?? '').toLowerCase() + secret.slice(i + 1),
      () => Array.from({ length: secret.length }, () => rng.pick([...ALNUM])).join(''),
    ])();
    if (candidate !== secret && candidate.length > 0) return candidate;
  }
}

/** A Standard Webhooks key one byte away from the real one (never a trailing zero byte: HMAC pads with those). */
function nearMissStandard(rng: Rng, secret: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  for (;;) {
    const i = rng.int(0, key.length - 1);
    const out = Buffer.from(key);
    const op = rng.int(0, 2);
    let candidate: Buffer;
    if (op === 0) {
      out[i] = (out[i] ?? 0) ^ (1 << rng.int(0, 7));
      candidate = out;
    } else if (op === 1) candidate = Buffer.concat([out.subarray(0, i), out.subarray(i + 1)]);
    else candidate = Buffer.concat([out, Buffer.from([rng.int(1, 255)])]);
    const trimmed = (b: Buffer) => b.subarray(0, b.length - (b.at(-1) === 0 ? 1 : 0));
    if (candidate.length > 0 && !trimmed(candidate).equals(trimmed(key))) {
      return `whsec_${candidate.toString('base64')}`;
    }
  }
}

let fixtureDir: string | undefined;

/** test/fixtures, found from this file whether it runs from test/fuzz or dist/test/fuzz. */
function fixture(name: string): string {
  if (!fixtureDir) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'test', 'fixtures'))) {
      const up = dirname(dir);
      if (up === dir) throw new Error('test/fixtures not found above the fuzzer');
      dir = up;
    }
    fixtureDir = join(dir, 'test', 'fixtures');
  }
  return readFileSync(join(fixtureDir, name), 'utf8');
}

function uuid(rng: Rng): string {
  const h = rng.bytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const BASE_TIME = 1_763_900_000_000;

function hubspotBody(rng: Rng, n: number): Buffer {
  const events = Array.from({ length: rng.int(1, 3) }, (_, k) => ({
    eventId: n * 4 + k,
    subscriptionId: rng.int(1, 5),
    portalId: 62515,
    appId: 54321,
    occurredAt: BASE_TIME + n,
    subscriptionType: rng.pick(['contact.propertyChange', 'contact.creation', 'contact.deletion']),
    attemptNumber: rng.int(0, 3),
    objectId: 1000 + rng.int(0, 999),
    changeSource: 'API',
    propertyName: 'poc_seq',
    propertyValue: `${n}:${k}`,
  }));
  return json(events);
}

function standardBody(rng: Rng, n: number): Buffer {
  return json({
    type: rng.pick(['contact.created', 'contact.updated', 'contact.deleted']),
    timestamp: new Date(BASE_TIME + n).toISOString(),
    data: {
      id: `ct_${n}`,
      email: `fuzz${n}@example.com`,
      first_name: 'Ada',
      custom_fields: { poc_seq: `${n}` },
    },
  });
}

let dynamicsTemplate: Record<string, unknown> | undefined;
function dynamicsBody(rng: Rng): Buffer {
  dynamicsTemplate ??= JSON.parse(fixture('dynamics-update-context.json')) as Record<string, unknown>;
  const id = uuid(rng);
  return json({ ...dynamicsTemplate, OperationId: uuid(rng), RequestId: uuid(rng), PrimaryEntityId: id });
}

let pipedriveTemplate: { meta: Record<string, unknown>; data: Record<string, unknown> } | undefined;
function pipedriveBody(rng: Rng, n: number): Buffer {
  pipedriveTemplate ??= JSON.parse(fixture('pipedrive/webhook-v2-change-person.json')) as {
    meta: Record<string, unknown>;
    data: Record<string, unknown>;
  };
  const id = 1000 + rng.int(0, 9999);
  return json({
    ...pipedriveTemplate,
    data: { ...pipedriveTemplate.data, id },
    meta: {
      ...pipedriveTemplate.meta,
      entity_id: String(id),
      timestamp: new Date(BASE_TIME + n).toISOString(),
      attempt: rng.int(1, 3),
    },
  });
}

function zohoBody(rng: Rng, n: number, token: string): Buffer {
  const id = `4876876000${String(n).padStart(9, '0')}`;
  return json({
    server_time: BASE_TIME + n,
    query_params: {},
    module: 'Contacts',
    resource_uri: 'https://www.zohoapis.com/crm/v8/Contacts',
    ids: [id],
    affected_fields: [{ [id]: ['Last_Name'] }],
    affected_values: [{ record_id: id, values: { Last_Name: `Fuzz${rng.int(0, 999)}` } }],
    operation: rng.pick(['insert', 'update', 'delete']),
    channel_id: '1000000068001',
    token,
  });
}

function salesforceBody(rng: Rng, n: number, orgId: string): Buffer {
  return Buffer.from(
    encodeOutboundMessage({
      organizationId: orgId,
      actionId: '04k5g000000FuzzAAA',
      sessionId: undefined,
      enterpriseUrl: 'https://fuzz.my.salesforce.com/services/Soap/c/62.0/00D5g000004Fuzz',
      partnerUrl: 'https://fuzz.my.salesforce.com/services/Soap/u/62.0/00D5g000004Fuzz',
      notifications: Array.from({ length: rng.int(1, 2) }, (_, k) => ({
        id: `04l5g${String(n * 2 + k).padStart(13, '0')}`,
        sobjectType: 'Contact',
        fields: {
          Id: `0035g${String(rng.int(0, 999_999)).padStart(13, '0')}`,
          Email: `fuzz${n}@example.com`,
          LastModifiedDate: new Date(BASE_TIME + n).toISOString(),
        },
      })),
    }),
  );
}

const STANDARD_SECRET = `whsec_${Buffer.from('poc-fuzz-standard-secret-24b').toString('base64')}`;

function target(
  vendor: string,
  rest: Omit<FuzzTarget, 'vendor' | 'adapter' | 'nearMiss' | 'contentType'> &
    Partial<Pick<FuzzTarget, 'nearMiss' | 'contentType'>>,
): FuzzTarget {
  const adapter = VENDORS[vendor];
  if (!adapter) throw new Error(`no adapter for ${vendor}`);
  return {
    vendor,
    adapter,
    contentType: 'application/json',
    nearMiss: (rng) => nearMissString(rng, rest.secret),
    ...rest,
  };
}

/** Every vendor of the registry, with a known secret and a valid example body. */
export const FUZZ_TARGETS: Readonly<Record<string, FuzzTarget>> = {
  hubspot: target('hubspot', {
    secret: 'fuzz-hubspot-client-secret-0123456789',
    proof: 'signature',
    proofHeaders: ['x-hubspot-signature-v3', 'x-hubspot-request-timestamp', 'host'],
    body: hubspotBody,
  }),
  standard: target('standard', {
    secret: STANDARD_SECRET,
    proof: 'signature',
    proofHeaders: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
    body: standardBody,
    nearMiss: (rng) => nearMissStandard(rng, STANDARD_SECRET),
  }),
  dynamics: target('dynamics', {
    secret: 'fuzz-dynamics-key-0123456789abcdef',
    proof: 'header-credential',
    proofHeaders: ['x-poc-key'],
    body: dynamicsBody,
  }),
  pipedrive: target('pipedrive', {
    secret: 'fuzz-pipedrive-password-0123456789',
    proof: 'header-credential',
    proofHeaders: ['authorization'],
    body: pipedriveBody,
  }),
  salesforce: target('salesforce', {
    // An 18-character org id: a 15-character one would also match any 3-letter suffix, by design.
    secret: '00D5g000004FuzzEAA',
    proof: 'body-credential',
    proofHeaders: [],
    contentType: 'text/xml; charset=utf-8',
    body: salesforceBody,
  }),
  zoho: target('zoho', {
    secret: 'poc-fuzz-zoho-channel-token-0123456789',
    proof: 'body-credential',
    proofHeaders: [],
    body: zohoBody,
  }),
};
