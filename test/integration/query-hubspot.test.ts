import { readFileSync } from 'node:fs';
import { Client } from '@hubspot/api-client';
import {
  ApiException,
  type Filter,
  type FilterGroup,
  FilterOperatorEnum as Op,
  type PublicObjectSearchRequest,
} from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedMock, startMockHubspot } from '../helpers/servers.js';

/** Contacts with typed-looking values (scores, ISO dates), mixed case, gaps and multi-word names. */
type Contact = Readonly<Record<string, string | undefined>> & { readonly poc_key: string };
const SEED: readonly Contact[] = JSON.parse(
  readFileSync(new URL('../fixtures/hubspot-search-contacts.json', import.meta.url), 'utf8'),
);

// The expectations below restate HubSpot's documented rules (developers.hubspot.com/docs/
// api-reference/search/guide) over the fixture, independently of the mock's code.
const lower = (v: string | undefined) => v?.toLowerCase();
const score = (c: Contact) => (c.poc_score === undefined ? undefined : Number(c.poc_score));
const joined = (c: Contact) => (c.poc_joined === undefined ? undefined : Date.parse(c.poc_joined));
const words = (v: string | undefined) => (v ?? '').toLowerCase().split(/\s+/).filter(Boolean);
/** The search guide's default searchable properties of contacts, which `query` looks in. */
const CONTACT_TEXT = [
  'firstname',
  'lastname',
  'email',
  'phone',
  'hs_additional_emails',
  'fax',
  'mobilephone',
  'company',
  'hs_marketable_until_renewal',
];
const MARCH_1 = Date.parse('2024-03-01T00:00:00.000Z');

const keysOf = (pick: (c: Contact) => boolean) =>
  SEED.filter(pick)
    .map((c) => c.poc_key)
    .sort();

const filter = (propertyName: string, operator: Op, more: Partial<Filter> = {}): Filter => ({
  propertyName,
  operator,
  ...more,
});

describe('mock HubSpot CRM search, driven by @hubspot/api-client', () => {
  let mock: StartedMock;
  let client: Client;

  beforeAll(async () => {
    // The 4/s search limit is proven in mock-hubspot.test.ts; here it would only slow the suite.
    mock = await startMockHubspot({ settings: { searchPerSecond: 10_000 } });
    client = new Client({ accessToken: mock.token, basePath: mock.url, numberOfApiCallRetries: 0 });
    const inputs = SEED.map((c) => ({ properties: { ...c } as Record<string, string>, associations: [] }));
    await client.crm.contacts.batchApi.create({ inputs });
  });
  afterAll(async () => {
    await mock.close();
  });

  /** Every matching poc_key, reading all pages of 200. */
  async function searchKeys(body: PublicObjectSearchRequest): Promise<string[]> {
    const keys: string[] = [];
    let after: string | undefined;
    do {
      const page = await client.crm.contacts.searchApi.doSearch({
        ...body,
        properties: ['poc_key'],
        limit: 200,
        ...(after ? { after } : {}),
      });
      keys.push(...page.results.map((r) => r.properties.poc_key ?? ''));
      after = page.paging?.next?.after;
    } while (after);
    return keys;
  }

  const only = (...filters: Filter[]): PublicObjectSearchRequest => ({ filterGroups: [{ filters }] });

  const operatorCases: [string, Filter, (c: Contact) => boolean][] = [
    ['EQ ignores case', filter('firstname', Op.Eq, { value: 'ADA' }), (c) => lower(c.firstname) === 'ada'],
    [
      'NEQ ignores case and keeps records without the property',
      filter('lifecyclestage', Op.Neq, { value: 'Customer' }),
      (c) => lower(c.lifecyclestage) !== 'customer',
    ],
    [
      'LT compares numbers as numbers',
      filter('poc_score', Op.Lt, { value: '10' }),
      (c) => (score(c) ?? Number.NaN) < 10,
    ],
    ['LTE', filter('poc_score', Op.Lte, { value: '10' }), (c) => (score(c) ?? Number.NaN) <= 10],
    ['GT', filter('poc_score', Op.Gt, { value: '99' }), (c) => (score(c) ?? Number.NaN) > 99],
    ['GTE', filter('poc_score', Op.Gte, { value: '100' }), (c) => (score(c) ?? Number.NaN) >= 100],
    [
      'BETWEEN value and highValue, both ends included',
      filter('poc_score', Op.Between, { value: '10', highValue: '50' }),
      (c) => {
        const s = score(c) ?? Number.NaN;
        return s >= 10 && s <= 50;
      },
    ],
    [
      'GTE on a date takes epoch ms against ISO 8601 values',
      filter('poc_joined', Op.Gte, { value: String(MARCH_1) }),
      (c) => (joined(c) ?? Number.NaN) >= MARCH_1,
    ],
    [
      'LT on a date takes an ISO 8601 value too',
      filter('poc_joined', Op.Lt, { value: '2024-03-01T00:00:00.000Z' }),
      (c) => (joined(c) ?? Number.NaN) < MARCH_1,
    ],
    [
      'IN matches lowercase values exactly, whatever the stored case',
      filter('lifecyclestage', Op.In, { values: ['customer', 'subscriber'] }),
      (c) => ['customer', 'subscriber'].includes(lower(c.lifecyclestage) ?? ''),
    ],
    [
      'IN on numbers compares them as numbers',
      filter('poc_score', Op.In, { values: ['9', '100.0'] }),
      (c) => score(c) === 9 || score(c) === 100,
    ],
    [
      'NOT_IN keeps records without the property',
      filter('lifecyclestage', Op.NotIn, { values: ['lead'] }),
      (c) => lower(c.lifecyclestage) !== 'lead',
    ],
    ['HAS_PROPERTY', filter('poc_score', Op.HasProperty), (c) => c.poc_score !== undefined],
    ['NOT_HAS_PROPERTY', filter('email', Op.NotHasProperty), (c) => c.email === undefined],
    [
      'CONTAINS_TOKEN with a leading wildcard, as the guide’s *@hubspot.com example',
      filter('email', Op.ContainsToken, { value: '*@hubspot.com' }),
      (c) => lower(c.email)?.endsWith('@hubspot.com') === true,
    ],
    [
      'CONTAINS_TOKEN matches a whole word, not a part of one',
      filter('company', Op.ContainsToken, { value: 'engines' }),
      (c) => words(c.company).includes('engines'),
    ],
    [
      'CONTAINS_TOKEN with a trailing wildcard',
      filter('lastname', Op.ContainsToken, { value: 'Ros*' }),
      (c) => words(c.lastname).some((w) => w.startsWith('ros')),
    ],
    [
      'NOT_CONTAINS_TOKEN keeps records without the property',
      filter('email', Op.NotContainsToken, { value: '*@hubspot.com' }),
      (c) => lower(c.email)?.endsWith('@hubspot.com') !== true,
    ],
  ];

  it.each(operatorCases)('%s', async (_name, f, pick) => {
    const expected = keysOf(pick);
    // A case that keeps every record or none would pass with a filter that does nothing.
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(SEED.length);
    expect((await searchKeys(only(f))).sort()).toEqual(expected);
  });

  it('IN on a string property finds nothing for a value with capitals (the guide: values must be lowercase)', async () => {
    const stored = SEED.find((c) => c.email === 'Ada.Lovelace@Example.com');
    expect(stored).toBeDefined();
    expect(await searchKeys(only(filter('email', Op.In, { values: ['Ada.Lovelace@Example.com'] })))).toEqual(
      [],
    );
    expect(await searchKeys(only(filter('email', Op.In, { values: ['ada.lovelace@example.com'] })))).toEqual([
      stored?.poc_key,
    ]);
  });

  it('ANDs the filters of a group and ORs the groups', async () => {
    const filterGroups: FilterGroup[] = [
      {
        filters: [
          filter('lifecyclestage', Op.Eq, { value: 'lead' }),
          filter('poc_score', Op.Lt, { value: '50' }),
        ],
      },
      { filters: [filter('email', Op.ContainsToken, { value: '*@hubspot.com' })] },
    ];
    const expected = keysOf(
      (c) =>
        (lower(c.lifecyclestage) === 'lead' && (score(c) ?? Number.NaN) < 50) ||
        lower(c.email)?.endsWith('@hubspot.com') === true,
    );
    const andOnly = keysOf((c) => lower(c.lifecyclestage) === 'lead' && (score(c) ?? Number.NaN) < 50);
    expect(andOnly.length).toBeGreaterThan(0);
    expect(expected.length).toBeGreaterThan(andOnly.length);
    expect((await searchKeys({ filterGroups })).sort()).toEqual(expected);
  });

  it('`query` looks for the text, in any case, in the default searchable properties only', async () => {
    const inText = (text: string) => (c: Contact) => CONTACT_TEXT.some((p) => lower(c[p])?.includes(text));
    const lovelace = keysOf(inText('lovelace'));
    // A contact whose only "lovelace" is in a custom property (poc_note) must not be found.
    expect(SEED.some((c) => c.poc_note?.includes('lovelace') && !lovelace.includes(c.poc_key))).toBe(true);
    expect(lovelace.length).toBeGreaterThan(1);
    expect((await searchKeys({ query: 'LoveLace' })).sort()).toEqual(lovelace);

    const customersAtHubspot = keysOf((c) => inText('hubspot')(c) && lower(c.lifecyclestage) === 'customer');
    expect(customersAtHubspot.length).toBeGreaterThan(0);
    expect(keysOf(inText('hubspot')).length).toBeGreaterThan(customersAtHubspot.length);
    const both = await searchKeys({
      query: 'hubspot',
      ...only(filter('lifecyclestage', Op.Eq, { value: 'customer' })),
    });
    expect(both.sort()).toEqual(customersAtHubspot);
  });

  it('sorts by one property, numbers and dates as numbers, ascending or with "-" descending', async () => {
    const scored = async (sorts: string[]) => {
      const page = await client.crm.contacts.searchApi.doSearch({
        ...only(filter('poc_score', Op.HasProperty)),
        sorts,
        properties: ['poc_score'],
        limit: 200,
      });
      return page.results.map((r) => Number(r.properties.poc_score));
    };
    const ascending = await scored(['poc_score']);
    // Compared as text, "10" would come before "9".
    expect(ascending).toEqual(SEED.flatMap((c) => score(c) ?? []).toSorted((a, b) => a - b));
    const descending = await scored(['-poc_score']);
    expect(descending).toEqual(ascending.toSorted((a, b) => b - a));

    const dates = await client.crm.contacts.searchApi.doSearch({
      ...only(filter('poc_joined', Op.HasProperty)),
      sorts: ['poc_joined'],
      properties: ['poc_joined'],
      limit: 200,
    });
    const times = dates.results.map((r) => Date.parse(r.properties.poc_joined ?? ''));
    expect(times).toHaveLength(SEED.filter((c) => c.poc_joined !== undefined).length);
    expect(times).toEqual(times.toSorted((a, b) => a - b));
  });

  it('pages with `after` over several pages: 10 by default, integer cursors, no next on the last page', async () => {
    const first = await client.crm.contacts.searchApi.doSearch({
      properties: ['poc_key'],
      sorts: ['poc_key'],
    });
    expect(first.total).toBe(SEED.length);
    expect(first.results).toHaveLength(10);
    expect(first.paging?.next?.after).toBe('10');

    const pages: string[][] = [];
    let after: string | undefined;
    do {
      const page = await client.crm.contacts.searchApi.doSearch({
        properties: ['poc_key'],
        sorts: ['poc_key'],
        limit: 7,
        ...(after ? { after } : {}),
      });
      expect(page.total).toBe(SEED.length);
      pages.push(page.results.map((r) => r.properties.poc_key ?? ''));
      after = page.paging?.next?.after;
      if (after !== undefined) expect(after).toBe(String(pages.length * 7));
    } while (after);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 7, 5]);
    expect(pages.flat()).toEqual(SEED.map((c) => c.poc_key).sort());
  });

  describe('the documented limits: 5 filterGroups, 6 filters a group, 18 filters in all', () => {
    const any = () => filter('poc_key', Op.HasProperty);
    const groups = (...sizes: number[]): PublicObjectSearchRequest => ({
      filterGroups: sizes.map((n) => ({ filters: Array.from({ length: n }, any) })),
    });

    it.each([
      ['5 groups', groups(1, 1, 1, 1, 1)],
      ['6 filters in a group', groups(6)],
      ['18 filters in all', groups(6, 6, 6)],
    ])('accepts %s', async (_name, body) => {
      expect(await searchKeys(body)).toHaveLength(SEED.length);
    });

    it.each([
      ['6 groups', groups(1, 1, 1, 1, 1, 1), /filter groups: 6\b.*at most 5/],
      ['7 filters in a group', groups(2, 7), /filterGroups\[1\]: 7\b.*at most 6/],
      ['19 filters in all', groups(6, 6, 6, 1), /filters: 19\b.*at most 18/],
    ])(
      'refuses %s with HubSpot’s 400 VALIDATION_ERROR body, as the SDK surfaces it',
      async (_name, body, message) => {
        expect.assertions(4);
        try {
          await client.crm.contacts.searchApi.doSearch(body);
        } catch (e) {
          expect(e).toBeInstanceOf(ApiException);
          const error = e as ApiException<{ category?: string; message?: string; correlationId?: string }>;
          expect(error.code).toBe(400);
          expect(error.body).toMatchObject({
            category: 'VALIDATION_ERROR',
            correlationId: expect.any(String),
          });
          expect(error.body.message).toMatch(message);
        }
      },
    );
  });

  it('refuses BETWEEN without highValue with the message HubSpot’s parser gives', async () => {
    expect.assertions(2);
    try {
      await client.crm.contacts.searchApi.doSearch(only(filter('poc_score', Op.Between, { value: '1' })));
    } catch (e) {
      const error = e as ApiException<{ message?: string }>;
      expect(error.code).toBe(400);
      expect(error.body.message).toContain('problem: operator BETWEEN requires a highValue');
    }
  });
});
