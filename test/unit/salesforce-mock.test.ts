import { describe, expect, it } from 'vitest';
import { KEY_PREFIX, salesforceId, sequenceOf, to18 } from '../../mock-vendor/salesforce/ids.js';
import { matches, parseSoql } from '../../mock-vendor/salesforce/soql.js';

describe('Salesforce ids', () => {
  it('computes the 18-character case checksum as Salesforce does', () => {
    // The documented example: 001A0000006Vm9r -> 001A0000006Vm9rIAC.
    expect(to18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
  });

  it('round-trips sequence numbers and refuses a bad checksum or prefix', () => {
    const id = salesforceId(KEY_PREFIX.Contact, 123_456_789);
    expect(id).toHaveLength(18);
    expect(sequenceOf(KEY_PREFIX.Contact, id)).toBe(123_456_789);
    expect(sequenceOf(KEY_PREFIX.Contact, id.slice(0, 15))).toBe(123_456_789);
    expect(sequenceOf(KEY_PREFIX.Contact, `${id.slice(0, 15)}ZZZ`)).toBeUndefined();
    expect(sequenceOf('001', id)).toBeUndefined();
  });
});

describe('the mock SOQL subset', () => {
  it('parses fields, conditions, order and limit, normalising field names', () => {
    expect(
      parseSoql(
        "select id, email from contact where SystemModstamp > 2026-01-01T00:00:00Z and lastname != 'x' order by email desc limit 10",
      ),
    ).toEqual({
      fields: ['Id', 'Email'],
      where: [
        {
          field: 'SystemModstamp',
          op: '>',
          value: { kind: 'datetime', value: Date.parse('2026-01-01T00:00:00Z') },
        },
        { field: 'LastName', op: '!=', value: { kind: 'string', value: 'x' } },
      ],
      orderBy: { field: 'Email', descending: true },
      limit: 10,
    });
  });

  it.each([
    ['SELECT FROM Contact', 'INVALID_FIELD'],
    ['SELECT Id FROM Account', 'INVALID_TYPE'],
    ['SELECT Id FROM Contact WHERE Email ~ 1', 'MALFORMED_QUERY'],
    ['SELECT Id FROM Contact LIMIT -1', 'MALFORMED_QUERY'],
    ['SELECT Id FROM Contact GROUP BY Id', 'MALFORMED_QUERY'],
  ])('refuses %s with %s', (soql, errorCode) => {
    expect(() => parseSoql(soql)).toThrow(expect.objectContaining({ errorCode }));
  });

  it('compares datetimes in Salesforce format, strings without case, and null', () => {
    const q = parseSoql(
      "SELECT Id FROM Contact WHERE SystemModstamp >= 2026-01-01T00:00:00.000+0000 AND Email = 'A@X.IO' AND Phone = null",
    );
    const row = (stamp: string, email: string, phone: string | null) => (f: string) =>
      ({ SystemModstamp: stamp, Email: email, Phone: phone })[f] ?? null;
    expect(matches(q, row('2026-01-01T00:00:00.000+0000', 'a@x.io', null))).toBe(true);
    expect(matches(q, row('2025-12-31T23:59:59.000+0000', 'a@x.io', null))).toBe(false);
    expect(matches(q, row('2026-02-01T00:00:00.000+0000', 'a@x.io', '555'))).toBe(false);
  });
});
