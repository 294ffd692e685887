import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/servers.js';
import { startMockZoho } from '../helpers/zoho.js';

// The SDK ships no type declarations; a variable specifier keeps tsc from demanding them.
const SDK_PACKAGE = '@zohocrm/nodejs-sdk-8.0';
// biome-ignore lint/suspicious/noExplicitAny: the official SDK is untyped JavaScript.
type Sdk = any;

type ZohoMockHandle = Awaited<ReturnType<typeof startMockZoho>>;

/** What a COQL call came back as through the SDK: rows as plain objects, or Zoho's error body. */
interface Answer {
  status: number;
  rows?: Record<string, unknown>[];
  info?: { count: number; more: boolean };
  error?: { code: string; message: string; details: Record<string, unknown> };
}

const CONTACTS = [
  { First_Name: 'Ada', Last_Name: 'Lovelace', Email: 'ada@x.io', Phone: '+44 1' },
  { First_Name: 'Grace', Last_Name: 'Hopper', Email: 'grace@x.io' },
  { First_Name: 'Alan', Last_Name: 'Smith', Email: 'a@x.io', Phone: '+1 2' },
  { First_Name: 'Bea', Last_Name: 'Smithson', Email: 'b@x.io' },
  { First_Name: 'Carl', Last_Name: 'Smythe', Email: 'c@x.io' },
  { First_Name: 'Dan', Last_Name: 'Brown' },
];

function postTo(target: ZohoMockHandle, body: unknown, token: string) {
  return fetch(`${target.url}/crm/v8/coql`, {
    method: 'POST',
    headers: { authorization: `Zoho-oauthtoken ${token}` },
    body: JSON.stringify(body),
  });
}

/** An access token from the mock's refresh grant, carrying only the `issuedScopes` it was given. */
async function issuedToken(target: ZohoMockHandle): Promise<string> {
  const grant = await fetch(`${target.url}/oauth/v2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: target.refreshToken,
      client_id: '1000.POCMOCKCLIENT',
      client_secret: 'poc-mock-client-secret',
    }).toString(),
  });
  return String(((await grant.json()) as { access_token?: unknown }).access_token);
}

describe('COQL on the mock Zoho CRM through the official Node SDK', () => {
  let mock: ZohoMockHandle;
  let sdk: Sdk;
  const dir = tempDir('poc-zoho-coql-');
  /** Contact ids in insertion order, which is id order. */
  let ids: string[] = [];

  beforeAll(async () => {
    mock = await startMockZoho();
    sdk = await import(SDK_PACKAGE);
    const environment = new sdk.Environment(mock.url, `${mock.url}/oauth/v2/token`, mock.url);
    const token = new sdk.OAuthBuilder()
      .clientId('1000.POCMOCKCLIENT')
      .clientSecret('poc-mock-client-secret')
      .refreshToken(mock.refreshToken)
      .build();
    await (await new sdk.InitializeBuilder())
      .environment(environment)
      .token(token)
      .store(new sdk.FileStore(`${dir.path}/tokens.txt`))
      .SDKConfig(new sdk.SDKConfigBuilder().autoRefreshFields(false).pickListValidation(false).build())
      .resourcePath(dir.path)
      .logger(new sdk.LogBuilder().level(sdk.Levels.OFF).filePath(`${dir.path}/sdk.log`).build())
      .initialize();
    const res = await fetch(`${mock.url}/crm/v8/Contacts`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${mock.token}` },
      body: JSON.stringify({ data: CONTACTS }),
    });
    const body = (await res.json()) as { data: { details: { id: string } }[] };
    ids = body.data.map((d) => d.details.id);
    expect(ids).toHaveLength(CONTACTS.length);
  });
  afterAll(async () => {
    await mock.close();
    dir.remove();
  });

  async function coql(selectQuery: string): Promise<Answer> {
    const body = new sdk.Coql.BodyWrapper();
    body.setSelectQuery(selectQuery);
    const response = await new sdk.Coql.CoqlOperations().getRecords(body);
    const status: number = response.getStatusCode();
    const object = response.getObject();
    if (object instanceof sdk.Coql.ResponseWrapper) {
      const rows = object.getData().map((r: Sdk) => Object.fromEntries(r.getKeyValues()));
      const info = object.getInfo();
      return { status, rows, info: { count: info.getCount(), more: info.getMoreRecords() } };
    }
    if (object instanceof sdk.Coql.APIException)
      return {
        status,
        error: {
          code: object.getCode().getValue(),
          message: object.getMessage().getValue(),
          details: Object.fromEntries(object.getDetails()),
        },
      };
    return { status };
  }

  const lastNames = (a: Answer) => (a.rows ?? []).map((r) => r.Last_Name);

  it('runs the query of the brief: like with %, in, limit offset, count', async () => {
    const a = await coql(
      "select Last_Name, Email from Contacts where (Last_Name like 'Sm%') and Email in ('a@x.io','b@x.io') limit 0, 200",
    );
    expect(a.status).toBe(200);
    expect(a.rows).toEqual([
      { Last_Name: 'Smith', Email: 'a@x.io', id: BigInt(ids[2] as string) },
      { Last_Name: 'Smithson', Email: 'b@x.io', id: BigInt(ids[3] as string) },
    ]);
    expect(a.info).toEqual({ count: 2, more: false });
  });

  it.each([
    ["Last_Name = 'Hopper'", ['Hopper']],
    ["Last_Name = 'hopper'", ['Hopper']],
    ["Last_Name != 'Hopper'", ['Lovelace', 'Smith', 'Smithson', 'Smythe', 'Brown']],
    ["Last_Name like 'Sm%'", ['Smith', 'Smithson', 'Smythe']],
    ["Last_Name like '%son'", ['Smithson']],
    ["Last_Name like '%it%'", ['Smith', 'Smithson']],
    ["Last_Name not like '%it%'", ['Lovelace', 'Hopper', 'Smythe', 'Brown']],
    ["Email in ('ada@x.io', 'c@x.io')", ['Lovelace', 'Smythe']],
    ["Email not in ('ada@x.io', 'c@x.io')", ['Hopper', 'Smith', 'Smithson']],
    ['Email is null', ['Brown']],
    ['Phone is not null', ['Lovelace', 'Smith']],
    ['Lead_Source = Advertisement', 'column'],
  ])('filters with %s', async (where, expected) => {
    const a = await coql(`select Last_Name from Contacts where ${where}`);
    if (expected === 'column') {
      expect(a.error).toEqual({
        code: 'INVALID_QUERY',
        message: 'column given seems to be invalid',
        details: { column_name: 'Lead_Source' },
      });
      return;
    }
    expect(lastNames(a)).toEqual(expected);
  });

  it('compares ids and times with < > <= >= = and between', async () => {
    const [, second, third, fourth] = ids;
    expect(lastNames(await coql(`select Last_Name from Contacts where id > ${third}`))).toEqual([
      'Smithson',
      'Smythe',
      'Brown',
    ]);
    expect(lastNames(await coql(`select Last_Name from Contacts where id < ${second}`))).toEqual([
      'Lovelace',
    ]);
    expect(lastNames(await coql(`select Last_Name from Contacts where id <= '${second}'`))).toEqual([
      'Lovelace',
      'Hopper',
    ]);
    expect(lastNames(await coql(`select Last_Name from Contacts where id >= ${fourth}`))).toHaveLength(3);
    expect(lastNames(await coql(`select Last_Name from Contacts where id = ${third}`))).toEqual(['Smith']);
    expect(
      lastNames(await coql(`select Last_Name from Contacts where id between ${second} and ${third}`)),
    ).toEqual(['Hopper', 'Smith']);
    expect(
      lastNames(await coql(`select Last_Name from Contacts where id not between ${second} and ${fourth}`)),
    ).toEqual(['Lovelace', 'Smythe', 'Brown']);
    const past = "'2020-01-01T00:00:00+00:00'";
    const future = "'2999-01-01T00:00:00+05:30'";
    expect(
      lastNames(await coql(`select Last_Name from Contacts where Modified_Time >= ${past}`)),
    ).toHaveLength(6);
    expect(await coql(`select Last_Name from Contacts where Created_Time > ${future}`)).toEqual({
      status: 204,
    });
  });

  it('combines and / or with parentheses, and needs them beyond two criteria', async () => {
    const either = await coql(
      "select Last_Name from Contacts where ((Last_Name = 'Smith') or (Last_Name like 'Hop%')) and Phone is null",
    );
    expect(lastNames(either)).toEqual(['Hopper']);
    const nested = await coql(
      "select Last_Name from Contacts where (Email is not null and (First_Name = 'Bea' or First_Name = 'Carl'))",
    );
    expect(lastNames(nested)).toEqual(['Smithson', 'Smythe']);
    const flat = await coql(
      "select Last_Name from Contacts where Email is not null and First_Name = 'Bea' or First_Name = 'Carl'",
    );
    expect(flat.status).toBe(400);
    expect(flat.error).toEqual({
      code: 'SYNTAX_ERROR',
      message: 'unexpected token',
      details: { line: 1, column: 79, near: 'or' },
    });
  });

  it('orders, pages with limit/offset in both spellings, and says when more records remain', async () => {
    const ordered = await coql(
      'select Last_Name, First_Name from Contacts where id is not null order by Last_Name desc',
    );
    expect(lastNames(ordered)).toEqual(['Smythe', 'Smithson', 'Smith', 'Lovelace', 'Hopper', 'Brown']);
    const first = await coql(
      'select Last_Name from Contacts where id is not null order by Last_Name limit 2',
    );
    expect(lastNames(first)).toEqual(['Brown', 'Hopper']);
    expect(first.info).toEqual({ count: 2, more: true });
    const second = await coql(
      'select Last_Name from Contacts where id is not null order by Last_Name limit 2 offset 2',
    );
    expect(lastNames(second)).toEqual(['Lovelace', 'Smith']);
    expect(second.info).toEqual({ count: 2, more: true });
    const comma = await coql(
      'select Last_Name from Contacts where id is not null order by Last_Name limit 4, 2',
    );
    expect(lastNames(comma)).toEqual(['Smithson', 'Smythe']);
    expect(comma.info).toEqual({ count: 2, more: false });
    expect(await coql('select Last_Name from Contacts where id is not null limit 6, 2')).toEqual({
      status: 204,
    });
    const count = await coql("select COUNT(id) from Contacts where Last_Name like 'Sm%'");
    expect(count.rows).toEqual([{ 'COUNT(id)': 3 }]);
  });

  it.each([
    [
      'select Last_Name, from Contacts where id is not null',
      'SYNTAX_ERROR',
      'unexpected token',
      { line: 1, column: 19, near: 'from' },
    ],
    [
      'select Last_Name\nfrom Contacts\nwhere id >> 1',
      'SYNTAX_ERROR',
      'unexpected token',
      { line: 3, column: 11, near: '>' },
    ],
    ['select Last_Name from Contacts', 'SYNTAX_ERROR', 'missing clause', { clause: 'where' }],
    ['select Last_Name from Contacts limit 5', 'SYNTAX_ERROR', 'missing clause', { clause: 'where' }],
    ['select Last_Name', 'SYNTAX_ERROR', 'missing clause', { clause: 'from' }],
    [
      "update Contacts set Last_Name = 'X' where id = 1",
      'SYNTAX_ERROR',
      'given coql query not supported',
      {},
    ],
    [
      "select Last_Name from Contacts where not (Last_Name = 'X')",
      'SYNTAX_ERROR',
      'operator not supported',
      { operator: 'not' },
    ],
    [
      "select Last_Name from Contacts where Last_Name > 'M'",
      'INVALID_QUERY',
      'Invalid query formed',
      { reason: 'invalid operator found', column_name: 'Last_Name', operator: '>' },
    ],
    [
      "select Last_Name from Contacts where Modified_Time like '2026%'",
      'INVALID_QUERY',
      'Invalid query formed',
      { reason: 'invalid operator found', column_name: 'Modified_Time', operator: 'like' },
    ],
    [
      "select Last_Name from Contacts where Modified_Time > '2026-01-01T00:00:00.000Z'",
      'INVALID_QUERY',
      'value given seems to be invalid for the column',
      { expected_data_type: 'datetime', column_name: 'Modified_Time' },
    ],
    [
      "select Last_Name from Contacts where id = 'abc'",
      'INVALID_QUERY',
      'value given seems to be invalid for the column',
      { expected_data_type: 'bigint', column_name: 'id' },
    ],
    [
      'select Testing from Contacts where id is not null',
      'INVALID_QUERY',
      'column given seems to be invalid',
      { column_name: 'Testing' },
    ],
    [
      'select Last_Name from Contacts where id is not null limit 0',
      'INVALID_DATA',
      'limit should be greater than 0',
      {},
    ],
    [
      'select Last_Name, Last_Name from Contacts where id is not null',
      'DUPLICATE_DATA',
      'duplicate select column',
      { column_name: 'Last_Name' },
    ],
    [
      'select COUNT(Last_Name) from Contacts where id is not null',
      'INVALID_QUERY',
      'data type not supported',
      { column_name: 'Last_Name', data_type: 'text' },
    ],
    [
      'select Last_Name from Leads where id is not null',
      'INVALID_MODULE',
      'the given module is not supported in api',
      {},
    ],
  ])('refuses %j with %s', async (query, code, message, details) => {
    const a = await coql(query);
    expect(a.status).toBe(400);
    expect(a.error).toEqual({ code, message, details });
  });

  it('refuses what goes past COQL’s limits with LIMIT_EXCEEDED', async () => {
    const where = (n: number) =>
      Array.from({ length: n }, (_, i) => `id != ${i}`).reduce((a, c) => `(${a}) and ${c}`);
    expect(
      lastNames(await coql(`select Last_Name from Contacts where (${where(24)}) and Email = 'a@x.io'`)),
    ).toEqual(['Smith']);
    const cases: [string, Record<string, unknown>][] = [
      ['select Last_Name from Contacts where id is not null limit 2001', { clause: 'limit', limit: 2000 }],
      [
        'select Last_Name from Contacts where id is not null limit 98001, 2000',
        { clause: 'offset', limit: 100_000 },
      ],
      [`select Last_Name from Contacts where ${where(26)}`, { clause: 'where', limit: 25 }],
      [
        `select Last_Name from Contacts where id in (${Array.from({ length: 101 }, (_, i) => i).join(',')})`,
        { clause: 'where', limit: 100 },
      ],
      [
        `select Last_Name from Contacts where id is not null order by ${Array(11).fill('Last_Name').join(', ')}`,
        { clause: 'order by', limit: 10 },
      ],
      [
        `select ${Array(501).fill('Last_Name').join(', ')} from Contacts where id is not null`,
        { clause: 'select', limit: 500 },
      ],
    ];
    for (const [query, details] of cases) {
      const a = await coql(query);
      expect(a.status, query.slice(0, 80)).toBe(400);
      expect(a.error?.code).toBe('LIMIT_EXCEEDED');
      expect(a.error?.details).toEqual(details);
    }
    // The last page reachable by offset still answers.
    expect((await coql('select Last_Name from Contacts where id is not null limit 98000, 2000')).status).toBe(
      204,
    );
  });

  it('needs select_query, a readable LIMIT, ZohoCRM.coql.READ and read access to the module', async () => {
    // Zoho prints the LIMIT it could not read as given; the SDK would turn it into a number (NaN).
    const badLimit = await postTo(
      mock,
      { select_query: 'select Last_Name from Contacts where id is not null limit s' },
      mock.token,
    );
    expect([badLimit.status, await badLimit.json()]).toEqual([
      400,
      {
        code: 'INVALID_QUERY',
        details: { limit: 's' },
        message: 'limit given seems to be invalid',
        status: 'error',
      },
    ]);
    const empty = await postTo(mock, {}, mock.token);
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'select_query' },
      message: 'mandatory key not found',
      status: 'error',
    });
    const scopeMismatch = {
      code: 'OAUTH_SCOPE_MISMATCH',
      details: {},
      message: 'invalid oauth scope to access this URL',
      status: 'error',
    };
    const query = { select_query: 'select Last_Name from Contacts where id is not null' };
    const noCoql = await startMockZoho({ settings: { issuedScopes: ['ZohoCRM.modules.ALL'] } });
    const dealsOnly = await startMockZoho({
      settings: { issuedScopes: ['ZohoCRM.coql.READ', 'ZohoCRM.modules.deals.READ'] },
    });
    try {
      const denied = await postTo(noCoql, query, await issuedToken(noCoql));
      expect([denied.status, await denied.json()]).toEqual([401, scopeMismatch]);
      const token = await issuedToken(dealsOnly);
      const contacts = await postTo(dealsOnly, query, token);
      expect([contacts.status, await contacts.json()]).toEqual([401, scopeMismatch]);
      const deals = await postTo(
        dealsOnly,
        { select_query: 'select Deal_Name from Deals where id is not null' },
        token,
      );
      expect(deals.status).toBe(204);
    } finally {
      await noCoql.close();
      await dealsOnly.close();
    }
  });
});
