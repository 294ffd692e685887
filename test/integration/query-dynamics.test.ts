import { DynamicsWebApi } from 'dynamics-web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockDynamics } from '../helpers/dynamics.js';
import type { StartedMock } from '../helpers/servers.js';

const API = '/api/data/v9.2';

const CONTACTS = [
  { firstname: 'Ada', lastname: 'Lovelace', emailaddress1: 'ada@x.io', telephone1: '+44 1' },
  { firstname: 'Grace', lastname: 'Hopper', emailaddress1: 'grace@x.io' },
  { firstname: 'Alan', lastname: 'Smith', emailaddress1: 'a@x.io', telephone1: '+1 2' },
  { firstname: 'Bea', lastname: 'Smithson', emailaddress1: 'b@x.io' },
  { firstname: 'Carl', lastname: 'Smythe', emailaddress1: 'c@x.io' },
  { firstname: 'Dan', lastname: 'Brown' },
  { firstname: 'Lee', lastname: 'Lee', emailaddress1: 'lee@x.io' },
];

type Contact = { lastname: string; emailaddress1?: string | null };

describe('OData queries on the mock Dataverse through dynamics-web-api', () => {
  let mock: StartedMock;
  let client: DynamicsWebApi;

  beforeAll(async () => {
    mock = await startMockDynamics();
    client = new DynamicsWebApi({ serverUrl: mock.url, onTokenRefresh: async () => mock.token });
    for (const data of CONTACTS) await client.create({ collection: 'contacts', data });
  });
  afterAll(async () => {
    await mock.close();
  });

  /** Last names matching `filter`, in last-name order. */
  async function lastNames(filter: string, queryParams?: string[]): Promise<string[]> {
    const res = await client.retrieveMultiple<Contact>({
      collection: 'contacts',
      select: ['lastname'],
      filter,
      orderBy: ['lastname asc'],
      ...(queryParams ? { queryParams } : {}),
    });
    return res.value.map((r) => r.lastname);
  }

  /** The OData error Dataverse would answer a GET of `contacts?<query>` with. */
  async function refusal(query: string) {
    const res = await fetch(`${mock.url}${API}/contacts?${query}`, {
      headers: { authorization: `Bearer ${mock.token}` },
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  it.each([
    ["contains(lastname,'mit')", ['Smith', 'Smithson']],
    ["startswith(lastname,'sm')", ['Smith', 'Smithson', 'Smythe']],
    ["endswith(lastname,'SON')", ['Smithson']],
    ["contains(lastname,'[^i]the')", ['Smythe']],
    ["startswith(lastname,'Sm_th')", ['Smith', 'Smithson', 'Smythe']],
    ["lastname eq 'hopper'", ['Hopper']],
    ["lastname ne 'Hopper'", ['Brown', 'Lee', 'Lovelace', 'Smith', 'Smithson', 'Smythe']],
    ["emailaddress1 ne 'a@x.io'", ['Brown', 'Hopper', 'Lee', 'Lovelace', 'Smithson', 'Smythe']],
    ['emailaddress1 eq null', ['Brown']],
    ['telephone1 ne null', ['Lovelace', 'Smith']],
    ["lastname gt 'Smith'", ['Smithson', 'Smythe']],
    ["lastname ge 'smith'", ['Smith', 'Smithson', 'Smythe']],
    ["lastname lt 'c'", ['Brown']],
    ["lastname le 'BROWN'", ['Brown']],
    ['modifiedon ge 2020-01-01T00:00:00Z and versionnumber gt 0', CONTACTS.map((c) => c.lastname).sort()],
    ['createdon lt 2020-01-01', []],
    ['firstname eq lastname', ['Lee']],
    ["not contains(lastname,'smi')", ['Brown', 'Hopper', 'Lee', 'Lovelace', 'Smythe']],
    ["(contains(lastname,'smi') or lastname eq 'Hopper') and telephone1 eq null", ['Hopper', 'Smithson']],
    // An empty column makes these unknown, and unknown rows are left out, negated or not.
    ["telephone1 gt '+'", ['Lovelace', 'Smith']],
    ["not contains(telephone1,'44')", ['Smith']],
    ["not (telephone1 eq '+1 2' and emailaddress1 eq null)", CONTACTS.map((c) => c.lastname).sort()],
    ["lastname eq 'Hopper' or lastname eq 'Smith' and telephone1 eq null", ['Hopper']],
    [
      `Microsoft.Dynamics.CRM.In(PropertyName='lastname',PropertyValues=["Smith","O'Hara","brown"])`,
      ['Brown', 'Smith'],
    ],
    [
      `Microsoft.Dynamics.CRM.NotIn(PropertyName='lastname',PropertyValues=["Smith","Brown","Lee"])`,
      ['Hopper', 'Lovelace', 'Smithson', 'Smythe'],
    ],
    [
      `Microsoft.Dynamics.CRM.Between(PropertyName='lastname',PropertyValues=["B","Hz"])`,
      ['Brown', 'Hopper'],
    ],
  ])('filters with %s', async (filter, expected) => {
    expect(await lastNames(filter)).toEqual(expected);
  });

  it('reads parameter aliases in $filter and $orderby, an unset alias being null', async () => {
    expect(await lastNames('@p1 eq @p2', ['@p1=lastname', "@p2='Smith'"])).toEqual(['Smith']);
    expect(await lastNames('emailaddress1 eq @none')).toEqual(['Brown']);
    const ordered = await client.retrieveMultiple<Contact>({
      collection: 'contacts',
      select: ['lastname'],
      filter: "startswith(lastname,'Sm')",
      orderBy: ['@o desc'],
      queryParams: ['@o=lastname'],
    });
    expect(ordered.value.map((r) => r.lastname)).toEqual(['Smythe', 'Smithson', 'Smith']);
  });

  it('selects, orders, limits with $top, counts, and pages by odata.maxpagesize', async () => {
    const top = await client.retrieveMultiple<Contact>({
      collection: 'contacts',
      select: ['lastname', 'emailaddress1'],
      orderBy: ['lastname desc'],
      top: 3,
    });
    expect(top.value.map((r) => r.lastname)).toEqual(['Smythe', 'Smithson', 'Smith']);
    expect(Object.keys(top.value[0] ?? {}).sort()).toEqual([
      '@odata.etag',
      'contactid',
      'emailaddress1',
      'lastname',
    ]);
    expect(top.oDataNextLink).toBeUndefined();

    const request = {
      collection: 'contacts',
      select: ['lastname'],
      filter: "contains(lastname,'sm')",
      orderBy: ['lastname asc'],
      count: true,
      maxPageSize: 2,
    };
    const first = await client.retrieveMultiple<Contact>(request);
    expect(first.oDataCount).toBe(3);
    expect(first.value.map((r) => r.lastname)).toEqual(['Smith', 'Smithson']);
    expect(first.oDataNextLink).toContain('$skiptoken=');
    const second = await client.retrieveMultiple<Contact>(request, first.oDataNextLink);
    expect(second.value.map((r) => r.lastname)).toEqual(['Smythe']);
    expect(second.oDataNextLink).toBeUndefined();

    // "If you include both, $top is ignored." (Learn, page-results)
    const both = await client.retrieveMultiple<Contact>({ ...request, count: false, top: 1 });
    expect(both.value).toHaveLength(2);
    expect(both.oDataNextLink).toBeDefined();

    const all = await client.retrieveAll<Contact>({ ...request, count: false, maxPageSize: 1 });
    expect(all.value.map((r) => r.lastname)).toEqual(['Smith', 'Smithson', 'Smythe']);
  });

  it('answers what it refuses with 0x80060888 and Microsoft.OData.Core’s message, through the client', async () => {
    const cases: [string, string][] = [
      ['lastname eq', "Syntax error at position 11 in 'lastname eq'."],
      [
        "lastname eq 'O'Bryan'",
        "There is an unterminated literal at position 21 in 'lastname eq 'O'Bryan''.",
      ],
      [
        "fullname eq 'x'",
        "Could not find a property named 'fullname' on type 'Microsoft.Dynamics.CRM.contact'.",
      ],
      [
        "tolower(lastname) eq 'x'",
        "An unknown function with name 'tolower' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.",
      ],
      [
        "contains(versionnumber,'1')",
        "No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true).",
      ],
      [
        'lastname eq 5',
        "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'.",
      ],
      [
        "modifiedon gt '2026-01-01'",
        "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThan'.",
      ],
      ['lastname', 'The $filter expression must evaluate to a single boolean value.'],
      [
        "lastname in ('Smith','Brown')",
        "The 'in' operator at position 9 is OData 4.01, which the Dataverse Web API (OData 4.0) does not support; use Microsoft.Dynamics.CRM.In.",
      ],
      [
        `Microsoft.Dynamics.CRM.In(PropertyName='lastname',PropertyValues=["a" "b"])`,
        "Invalid JSON. A comma character ',' was expected in scope 'Array'. Every two elements in an array and properties of an object must be separated by commas.",
      ],
      [
        "Microsoft.Dynamics.CRM.LastXDays(PropertyName='modifiedon',PropertyValue='3')",
        "The query function 'Microsoft.Dynamics.CRM.LastXDays' is not emulated by the poc Dataverse mock.",
      ],
    ];
    for (const [filter, message] of cases) {
      await expect(
        client.retrieveMultiple({ collection: 'contacts', select: ['lastname'], filter }),
        filter,
      ).rejects.toMatchObject({ status: 400, code: '0x80060888', message });
    }
  });

  it('refuses unknown columns in $select and $orderby, a bad $top, and the options Dataverse lacks', async () => {
    const error = (message: string) => ({ status: 400, body: { error: { code: '0x80060888', message } } });
    const unknown = (c: string) =>
      error(`Could not find a property named '${c}' on type 'Microsoft.Dynamics.CRM.contact'.`);
    expect(await refusal('$select=lastname,Name')).toEqual(unknown('Name'));
    expect(await refusal('$orderby=fullname desc')).toEqual(unknown('fullname'));
    expect(await refusal('$orderby=lastname sideways')).toEqual(
      error("Syntax error at position 9 in 'lastname sideways'."),
    );
    expect(await refusal('$top=abc')).toEqual(
      error(
        "Invalid value 'abc' for $top query option found. The $top query option requires a non-negative integer value.",
      ),
    );
    expect(await refusal('$skip=2')).toEqual(error('The query parameter $skip is not supported'));
    expect(await refusal('$search=smith')).toEqual(error('The query parameter $search is not supported'));
  });
});
