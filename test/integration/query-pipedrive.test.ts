import { v1, v2 } from 'pipedrive';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockPipedrive } from '../helpers/pipedrive.js';
import type { StartedMock } from '../helpers/servers.js';

type SearchField = 'custom_fields' | 'email' | 'notes' | 'phone' | 'name';

const PEOPLE = [
  { name: 'Ada Lovelace', email: 'ada@x.io', org_id: 7 },
  { name: 'Grace Hopper', email: 'grace@x.io', org_id: 7 },
  { name: 'Alan Smith', email: 'a@x.io' },
  { name: 'Bea Smithson', email: 'b@x.io', org_id: 9 },
  { name: 'X', email: 'x@x.io' },
];

/** The SDK rejects with the response body; this returns it, or fails if the call succeeded. */
async function refusal(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (body) {
    return body;
  }
  throw new Error('the call succeeded');
}

const schemaError = (error: string) => ({
  success: false,
  error,
  code: 'ERR_SCHEMA_VALIDATION_FAILED',
  error_info: expect.any(String),
  data: null,
  additional_data: null,
});

describe('person filters and search on the mock Pipedrive through the official SDK', () => {
  let mock: StartedMock;
  let persons: v2.PersonsApi;
  let filters: v1.FiltersApi;
  let fields: v1.PersonFieldsApi;
  /** Person ids in creation order. */
  const ids: number[] = [];

  beforeAll(async () => {
    // Search has its own 10-per-2-s limit; this file asks more than that of it.
    mock = await startMockPipedrive({ settings: { burstLimit: 1000, searchBurstLimit: 1000 } });
    persons = new v2.PersonsApi(new v2.Configuration({ apiKey: mock.token, basePath: `${mock.url}/api/v2` }));
    const v1Config = new v1.Configuration({ apiKey: mock.token, basePath: `${mock.url}/v1` });
    filters = new v1.FiltersApi(v1Config);
    fields = new v1.PersonFieldsApi(v1Config);
    for (const p of PEOPLE) {
      const created = await persons.addPerson({
        AddPersonRequest: {
          name: p.name,
          emails: [{ value: p.email, primary: true, label: 'work' }],
          ...(p.org_id ? { org_id: p.org_id } : {}),
        },
      });
      ids.push(created.data?.id ?? 0);
    }
  });
  afterAll(async () => {
    await mock.close();
  });

  const names = (res: { data?: { name?: string }[] | null }) => (res.data ?? []).map((p) => p.name);
  const found = (res: v2.GetPersonSearchResponse) => (res.data?.items ?? []).map((i) => i.item?.name);

  it('lists by ids, owner_id, org_id and deal_id, and narrows custom_fields', async () => {
    expect(names(await persons.getPersons({ ids: `${ids[3]},${ids[0]},999` }))).toEqual([
      'Ada Lovelace',
      'Bea Smithson',
    ]);
    expect(names(await persons.getPersons({ org_id: 7 }))).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(names(await persons.getPersons({ org_id: 7, ids: String(ids[1]) }))).toEqual(['Grace Hopper']);
    // Every person belongs to the one user the mock company has; nobody else owns any.
    const owner = (await persons.getPerson({ id: ids[0] ?? 0 })).data?.owner_id ?? 0;
    expect(names(await persons.getPersons({ owner_id: owner }))).toHaveLength(PEOPLE.length);
    expect(names(await persons.getPersons({ owner_id: owner + 1 }))).toEqual([]);
    // No deals are emulated, so no person is linked to one.
    expect(await persons.getPersons({ deal_id: 5 })).toMatchObject({ success: true, data: [] });
    const org = await persons.getPersons({ org_id: 9 });
    expect(org.data?.[0]).toMatchObject({ name: 'Bea Smithson', org_id: 9 });
    const seqKey = (await fields.getPersonFields()).data?.find((f) => f.name === 'poc_seq')?.key ?? '';
    const narrowed = await persons.getPersons({ custom_fields: 'no-such-key', limit: 1 });
    expect(narrowed.data?.[0]?.custom_fields).toEqual({});
    const kept = await persons.getPersons({ custom_fields: seqKey, limit: 1 });
    expect(kept.data?.[0]?.custom_fields).toEqual({ [seqKey]: null });
  });

  it('applies a saved people filter by filter_id, which overrides ids, owner_id and org_id', async () => {
    const personFields = (await fields.getPersonFields()).data ?? [];
    const fieldId = (key: string) => personFields.find((f) => f.key === key)?.id;
    const condition = (key: string, operator: string, value: unknown) => ({
      object: 'person',
      field_id: fieldId(key),
      operator,
      value,
    });
    const add = (and: unknown[], or: unknown[]) =>
      filters.addFilter({
        AddFilterRequest: {
          name: 'poc people',
          type: 'people',
          conditions: {
            glue: 'and',
            conditions: [
              { glue: 'and', conditions: and },
              { glue: 'or', conditions: or },
            ],
          },
        },
      });
    const smiths = await add([condition('name', "LIKE '%$%'", 'smith')], []);
    expect(smiths.data).toMatchObject({ name: 'poc people', type: 'people', active_flag: true });
    const filterId = smiths.data?.id ?? 0;
    expect(names(await persons.getPersons({ filter_id: filterId }))).toEqual(['Alan Smith', 'Bea Smithson']);
    expect(names(await persons.getPersons({ filter_id: filterId, org_id: 7, ids: String(ids[0]) }))).toEqual([
      'Alan Smith',
      'Bea Smithson',
    ]);
    const either = await add(
      [condition('email', 'IS NOT NULL', null)],
      [condition('org_id', '=', 9), condition('name', "LIKE '$%'", 'ada')],
    );
    expect(names(await persons.getPersons({ filter_id: either.data?.id ?? 0 }))).toEqual([
      'Ada Lovelace',
      'Bea Smithson',
    ]);
    const dated = await add([condition('add_time', '>=', '2020-01-01'), condition('name', '!=', 'X')], []);
    expect(names(await persons.getPersons({ filter_id: dated.data?.id ?? 0 }))).toHaveLength(
      PEOPLE.length - 1,
    );
    const notAda = await add([condition('name', "NOT LIKE '$%'", 'a')], []);
    expect(names(await persons.getPersons({ filter_id: notAda.data?.id ?? 0 }))).toEqual([
      'Grace Hopper',
      'Bea Smithson',
      'X',
    ]);
    expect((await filters.getFilter({ id: filterId })).data).toMatchObject({ id: filterId });

    expect(await refusal(persons.getPersons({ filter_id: 4040 }))).toMatchObject({
      success: false,
      error: 'Filter not found',
    });
    const bad = [
      [[], new Array(17).fill(condition('name', '=', 'x')), 'a filter takes at most 16 conditions, got 17'],
      [[condition('name', 'LIKE', 'x')], [], expect.stringMatching(/^operator must be one of IS NOT NULL, /)],
      [
        [condition('add_time', '>', '01/02/2020')],
        [],
        'date values must be supplied in the YYYY-MM-DD format (field add_time)',
      ],
      [[{ ...condition('name', '=', 'x'), field_id: 1 }], [], 'field_id 1 is not a person field'],
    ] as const;
    for (const [and, or, error] of bad)
      expect(await refusal(add([...and], [...or]))).toMatchObject({ success: false, error });
  });

  it('searches persons by term, in the asked fields, exactly or not, by organization, paged by cursor', async () => {
    const search = (term: string, more: Partial<v2.PersonsApiSearchPersonsRequest> = {}) =>
      persons.searchPersons({ term, ...more });
    expect(found(await search('smith'))).toEqual(['Alan Smith', 'Bea Smithson']);
    expect(found(await search('x.io', { fields: 'email' }))).toHaveLength(PEOPLE.length);
    expect(found(await search('x.io', { fields: 'name' }))).toEqual([]);
    expect(found(await search('ALAN SMITH', { exact_match: true }))).toEqual(['Alan Smith']);
    expect(found(await search('Smith', { exact_match: true, fields: 'name' }))).toEqual([]);
    expect(found(await search('x', { exact_match: true }))).toEqual(['X']);
    expect(found(await search('A@X.IO', { fields: 'email', exact_match: true }))).toEqual(['Alan Smith']);
    expect(found(await search('x.io', { organization_id: 7 }))).toEqual(['Ada Lovelace', 'Grace Hopper']);
    const organization = (await search('bea', { organization_id: 9 })).data?.items?.[0]?.item?.organization;
    expect(organization).toMatchObject({ id: 9 });
    expect(found(await search('notes only', { fields: 'notes' }))).toEqual([]);
    const first = await search('x.io', { fields: 'email' as SearchField, limit: 3 });
    expect(found(first)).toEqual(['Ada Lovelace', 'Grace Hopper', 'Alan Smith']);
    const cursor = first.additional_data?.next_cursor ?? '';
    const second = await search('x.io', { fields: 'email', limit: 3, cursor });
    expect(found(second)).toEqual(['Bea Smithson', 'X']);
    expect(second.additional_data?.next_cursor).toBeNull();
    expect(found(await search('hopper', { fields: 'name,email' as SearchField }))).toEqual(['Grace Hopper']);
  });

  it('refuses what fails Pipedrive’s parameter schema with 400 ERR_SCHEMA_VALIDATION_FAILED', async () => {
    const cases: [Promise<unknown>, string][] = [
      [persons.searchPersons({ term: 'x' }), 'term must be at least 2 characters long (1 with exact_match)'],
      [
        persons.searchPersons({ term: '', exact_match: true }),
        'term must be at least 2 characters long (1 with exact_match)',
      ],
      [
        persons.searchPersons({ term: 'ada', fields: 'title' as SearchField }),
        'fields must be among custom_fields, email, notes, phone, name',
      ],
      [persons.searchPersons({ term: 'ada', limit: 501 }), 'limit must be at most 500'],
      [persons.getPersons({ limit: 0 }), 'limit must be a positive integer'],
      [
        persons.getPersons({ ids: Array.from({ length: 101 }, (_, i) => i + 1).join(',') }),
        'ids takes at most 100 ids',
      ],
      [persons.getPersons({ ids: '1,two' }), 'ids must be a comma separated list of integers'],
      [
        persons.getPersons({ custom_fields: Array.from({ length: 16 }, (_, i) => `k${i}`).join(',') }),
        'custom_fields takes at most 15 keys',
      ],
      [
        persons.getPersons({ updated_since: '2025-01-01' }),
        'updated_since is not a valid datetime; use RFC 3339 such as 2025-01-01T10:20:00Z',
      ],
    ];
    for (const [call, error] of cases) expect(await refusal(call), error).toEqual(schemaError(error));
    const res = await fetch(`${mock.url}/api/v2/persons?org_id=seven`, {
      headers: { 'x-api-token': mock.token },
    });
    expect([res.status, await res.json()]).toEqual([400, schemaError('org_id must be a positive integer')]);
  });
});
