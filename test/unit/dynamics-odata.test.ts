import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../mock-vendor/dynamics/filter-eval.js';
import { pageOf, parseResourcePath, skipToken } from '../../mock-vendor/dynamics/odata.js';

const CONTACT = {
  entityType: 'Microsoft.Dynamics.CRM.contact',
  typeOf: (column: string) =>
    ({ modifiedon: 'Edm.DateTimeOffset', emailaddress1: 'Edm.String', fullname: 'Edm.String' })[column] as
      | 'Edm.DateTimeOffset'
      | 'Edm.String'
      | undefined,
};
const filter = (text: string) => compileFilter(text, new URLSearchParams(), CONTACT);

describe('the mock Dataverse OData subset', () => {
  it('parses keys in the path: GUID, alternate key with doubled quotes, encoded', () => {
    expect(parseResourcePath('contacts')).toEqual({ entitySet: 'contacts' });
    expect(parseResourcePath('contacts(7D4F6A1C-2B3E-4F50-8A9B-0C1D2E3F4A5B)')).toEqual({
      entitySet: 'contacts',
      key: { kind: 'id', id: '7d4f6a1c-2b3e-4f50-8a9b-0c1d2e3f4a5b' },
    });
    expect(parseResourcePath("contacts(emailaddress1='o''hara%40x.io')")).toEqual({
      entitySet: 'contacts',
      key: { kind: 'alternate', values: { emailaddress1: "o'hara@x.io" } },
    });
    expect(parseResourcePath("contacts(emailaddress1='a',x)")).toBeUndefined();
  });

  it('filters with and-joined comparisons, dates as instants and strings case-insensitively', () => {
    const test = filter("modifiedon gt 2026-01-01T00:00:00Z and emailaddress1 eq 'A@X.IO'");
    expect(test({ modifiedon: '2026-02-01T00:00:00Z', emailaddress1: 'a@x.io' })).toBe(true);
    expect(test({ modifiedon: '2025-12-31T23:59:59Z', emailaddress1: 'a@x.io' })).toBe(false);
    // contains() and or are Dataverse's too (test/integration/query-dynamics.test.ts drives them all).
    expect(
      filter("contains(fullname,'ann') or emailaddress1 eq 'b@x.io'")({
        fullname: 'Joanna',
        emailaddress1: 'a@x.io',
      }),
    ).toBe(true);
    expect(() => filter("emailaddress1 eq 'a")).toThrow(/unterminated/i);
  });

  it('round-trips the paging cookie and refuses a forged one', () => {
    expect(pageOf(skipToken(3))).toBe(3);
    expect(pageOf(null)).toBe(1);
    expect(() => pageOf('<cookie pagenumber="0" />')).toThrow(/not valid/);
  });
});
