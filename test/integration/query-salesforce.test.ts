import jsforce from 'jsforce';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockSalesforce } from '../helpers/salesforce.js';
import type { StartedMock } from '../helpers/servers.js';

type Row = { LastName: string; Account?: { Name: string } | null };

function connect(mock: StartedMock) {
  return new jsforce.Connection({ instanceUrl: mock.url, accessToken: mock.token, version: '66.0' });
}

/** Contacts made inside the org (the admin firehose), stamped `at` by the mock's clock. */
async function seed(
  mock: StartedMock,
  inputs: { externalId: string; fields: Record<string, string> }[],
  at?: number,
): Promise<void> {
  const res = await fetch(`${mock.url}/__admin/firehose`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ objectType: 'contacts', inputs, ...(at === undefined ? {} : { at }) }),
  });
  expect(await res.json()).toEqual({ applied: inputs.length });
}

async function lastNames(conn: jsforce.Connection, soql: string): Promise<string[]> {
  const res = await conn.query<Row>(soql);
  expect(res.done).toBe(true);
  return res.records.map((r) => r.LastName).sort();
}

describe('SOQL on the mock Salesforce (jsforce)', () => {
  let mock: StartedMock;
  let conn: jsforce.Connection;

  beforeEach(async () => {
    mock = await startMockSalesforce();
    conn = connect(mock);
  });
  afterEach(async () => {
    await mock.close();
  });

  it('pages a LIKE filter with queryMore: % and _ wildcards, without case, escapes kept literal', async () => {
    // 600 contacts, 450 of them Smith-nnn or Smyth-nnn; the rest Other-nnn.
    await seed(
      mock,
      Array.from({ length: 600 }, (_, i) => ({
        externalId: `like${i}@e.io`,
        fields: {
          lastname:
            i % 4 === 0
              ? `Other-${String(i).padStart(3, '0')}`
              : `Sm${i % 2 ? 'i' : 'y'}th-${String(i).padStart(3, '0')}`,
        },
      })),
    );
    const soql = "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'sM_TH-%' ORDER BY LastName";
    // On the wire the locator is relative, as Salesforce sends it; jsforce makes it absolute.
    const wire = await fetch(`${mock.url}/services/data/v66.0/query?q=${encodeURIComponent(soql)}`, {
      headers: { authorization: `Bearer ${mock.token}`, 'sforce-query-options': 'batchSize=200' },
    });
    expect(await wire.json()).toMatchObject({
      totalSize: 450,
      done: false,
      nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v66\.0\/query\/01g[\w-]+-200$/),
    });
    const first = await conn.query<Row>(soql, { headers: { 'Sforce-Query-Options': 'batchSize=200' } });
    expect(first).toMatchObject({ totalSize: 450, done: false });
    expect(first.nextRecordsUrl).toMatch(/\/query\/01g[\w-]+-200$/);
    const second = await conn.queryMore<Row>(first.nextRecordsUrl as string);
    expect(second).toMatchObject({ totalSize: 450, done: false });
    expect(second.nextRecordsUrl).toMatch(/-400$/);
    const third = await conn.queryMore<Row>(second.nextRecordsUrl as string);
    expect(third).toMatchObject({ totalSize: 450, done: true });
    expect(third.nextRecordsUrl).toBeUndefined();
    const pages = [first, second, third].map((p) => p.records.map((r) => r.LastName));
    expect(pages.map((p) => p.length)).toEqual([200, 200, 50]);
    const all = pages.flat();
    expect(new Set(all).size).toBe(450);
    expect(all.every((n) => /^Sm[iy]th-\d{3}$/.test(n))).toBe(true);
    // Sorted without case: Smith-001 ... then Smyth-002 ...
    expect(all).toEqual([...all].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(all[0]).toBe('Smith-001');
    expect(all.at(-1)).toBe('Smyth-598');

    await seed(mock, [
      { externalId: 'pct1@e.io', fields: { lastname: 'Per%cent' } },
      { externalId: 'pct2@e.io', fields: { lastname: 'Percent' } },
      { externalId: 'und1@e.io', fields: { lastname: 'Under_score' } },
      { externalId: 'und2@e.io', fields: { lastname: 'Underxscore' } },
    ]);
    expect(await lastNames(conn, "SELECT LastName FROM Contact WHERE LastName LIKE 'per\\%cent'")).toEqual([
      'Per%cent',
    ]);
    expect(await lastNames(conn, "SELECT LastName FROM Contact WHERE LastName LIKE 'Per%cent'")).toEqual([
      'Per%cent',
      'Percent',
    ]);
    expect(await lastNames(conn, "SELECT LastName FROM Contact WHERE LastName LIKE 'under\\_%'")).toEqual([
      'Under_score',
    ]);
    expect(await lastNames(conn, "SELECT LastName FROM Contact WHERE LastName LIKE 'under_score'")).toEqual([
      'Under_score',
      'Underxscore',
    ]);
  });

  it('combines =, !=, <>, IN, NOT IN, OR, NOT and parentheses, and refuses AND mixed with OR or NOT without them', async () => {
    await seed(mock, [
      { externalId: 'ada@e.io', fields: { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@e.io' } },
      { externalId: 'alan@e.io', fields: { firstname: 'Alan', lastname: 'Turing', email: 'ALAN@E.IO' } },
      { externalId: 'grace@e.io', fields: { firstname: 'Grace', lastname: 'Hopper', email: 'grace@e.io' } },
      { externalId: 'edsger@e.io', fields: { firstname: 'Edsger', lastname: 'Dijkstra' } },
    ]);
    const where = (clause: string) => lastNames(conn, `SELECT Id, LastName FROM Contact WHERE ${clause}`);
    expect(await where("Email IN ('alan@e.io', 'Ada@E.io')")).toEqual(['Lovelace', 'Turing']);
    // NOT IN and != keep the contact without an email.
    expect(await where("Email NOT IN ('alan@e.io', 'ada@e.io')")).toEqual(['Dijkstra', 'Hopper']);
    expect(await where("Email != 'grace@e.io'")).toEqual(['Dijkstra', 'Lovelace', 'Turing']);
    expect(await where("Email <> 'grace@e.io'")).toEqual(['Dijkstra', 'Lovelace', 'Turing']);
    expect(await where('Email = null')).toEqual(['Dijkstra']);
    expect(await where("LastName = 'hopper' OR FirstName = 'ALAN' OR Email = null")).toEqual([
      'Dijkstra',
      'Hopper',
      'Turing',
    ]);
    expect(await where("(LastName = 'Hopper' OR LastName = 'Turing') AND FirstName LIKE 'A%'")).toEqual([
      'Turing',
    ]);
    expect(await where("LastName = 'Hopper' OR (LastName = 'Turing' AND FirstName = 'Grace')")).toEqual([
      'Hopper',
    ]);
    expect(await where("NOT LastName IN ('Hopper', 'Turing')")).toEqual(['Dijkstra', 'Lovelace']);
    expect(await where("FirstName LIKE 'A%' AND (NOT Email LIKE 'ada%')")).toEqual(['Turing']);
    expect(await where("NOT (LastName = 'Hopper' OR Email = null)")).toEqual(['Lovelace', 'Turing']);

    // "Parentheses are required whenever you mix the operators."
    await expect(
      where("LastName = 'Hopper' AND FirstName = 'Grace' OR LastName = 'Turing'"),
    ).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringMatching(/ERROR at Row:1:Column:\d+\nunexpected token: OR$/),
    });
    await expect(
      where("LastName = 'Hopper' OR FirstName = 'Grace' AND LastName = 'Turing'"),
    ).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringMatching(/unexpected token: AND$/),
    });
    await expect(where("FirstName = 'Ada' AND NOT LastName = 'Hopper'")).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringMatching(/unexpected token: NOT$/),
    });
    await expect(where("NOT LastName = 'Hopper' AND FirstName = 'Ada'")).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    await expect(where('LastName IN ()')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
  });

  it('counts with COUNT() and COUNT(field), and skips rows with OFFSET up to 2000', async () => {
    await seed(
      mock,
      Array.from({ length: 12 }, (_, i) => ({
        externalId: `c${i}@e.io`,
        fields: { lastname: `L${String(i).padStart(2, '0')}`, ...(i < 5 ? { email: `c${i}@e.io` } : {}) },
      })),
    );
    // COUNT(): the size of the result and no records.
    expect(await conn.query('SELECT COUNT() FROM Contact')).toEqual({
      totalSize: 12,
      done: true,
      records: [],
    });
    expect(await conn.query("SELECT COUNT() FROM Contact WHERE LastName LIKE 'L0%'")).toEqual({
      totalSize: 10,
      done: true,
      records: [],
    });
    expect(await conn.query('SELECT COUNT() FROM Contact LIMIT 3')).toEqual({
      totalSize: 3,
      done: true,
      records: [],
    });
    // COUNT(field): one AggregateResult row; nulls are not counted; expr0, expr1 unless aliased.
    expect(await conn.query('SELECT COUNT(Id) FROM Contact')).toEqual({
      totalSize: 1,
      done: true,
      records: [{ attributes: { type: 'AggregateResult' }, expr0: 12 }],
    });
    expect(await conn.query('SELECT COUNT(Id), COUNT(Email) withEmail, MAX(LastName) FROM Contact')).toEqual({
      totalSize: 1,
      done: true,
      records: [{ attributes: { type: 'AggregateResult' }, expr0: 12, withEmail: 5, expr1: 'L11' }],
    });
    expect(
      (await conn.query("SELECT COUNT(Id) n, MIN(Email) FROM Contact WHERE LastName = 'nobody'")).records,
    ).toEqual([{ attributes: { type: 'AggregateResult' }, n: 0, expr0: null }]);

    const page = await conn.query<Row>(
      'SELECT LastName FROM Contact ORDER BY LastName DESC LIMIT 3 OFFSET 2',
    );
    expect(page).toMatchObject({ totalSize: 3, done: true });
    expect(page.records.map((r) => r.LastName)).toEqual(['L09', 'L08', 'L07']);
    expect(
      (await conn.query<Row>('SELECT LastName FROM Contact ORDER BY LastName OFFSET 10')).records,
    ).toHaveLength(2);
    expect(await conn.query('SELECT LastName FROM Contact OFFSET 2000')).toMatchObject({
      totalSize: 0,
      records: [],
    });
    await expect(conn.query('SELECT LastName FROM Contact OFFSET 2001')).rejects.toMatchObject({
      errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      message: expect.stringContaining('Maximum SOQL offset allowed is 2000'),
    });
    await expect(conn.query('SELECT LastName FROM Contact OFFSET 1 LIMIT 2')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    await expect(conn.query('SELECT COUNT(), LastName FROM Contact')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    await expect(conn.query('SELECT COUNT() FROM Contact ORDER BY LastName')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    await expect(conn.query('SELECT LastName, COUNT(Id) FROM Contact')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringContaining('Field must be grouped or aggregated: LastName'),
    });
  });

  it('reads the parent Account through Contact.Account, nested as Salesforce returns it', async () => {
    const acme = await conn.sobject('Account').create({ Name: 'Acme Corp' });
    const labs = await conn.sobject('Account').create({ Name: 'acme labs', Website: 'https://labs.example' });
    const globex = await conn.sobject('Account').create({ Name: 'Globex' });
    expect(acme.id).toMatch(/^001[0-9A-Za-z]{15}$/);
    const contacts = [
      { LastName: 'Coyote', AccountId: acme.id },
      // A 15-character id is stored in its 18-character form.
      { LastName: 'Runner', AccountId: (labs.id as string).slice(0, 15) },
      { LastName: 'Simpson', AccountId: globex.id },
      { LastName: 'Solo' },
    ];
    for (const c of contacts)
      expect(await conn.sobject('Contact').create(c)).toMatchObject({ success: true });

    const res = await conn.query<Row & { Id: string }>(
      "SELECT Id, Account.Name, LastName, Account.Website FROM Contact WHERE Account.Name LIKE 'Acme%' ORDER BY LastName",
    );
    expect(res.totalSize).toBe(2);
    expect(res.records.map(({ Id: _id, ...rest }) => rest)).toEqual([
      {
        attributes: {
          type: 'Contact',
          url: expect.stringMatching(/^\/services\/data\/v66\.0\/sobjects\/Contact\/003/),
        },
        Account: {
          attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${acme.id}` },
          Name: 'Acme Corp',
          Website: null,
        },
        LastName: 'Coyote',
      },
      {
        attributes: { type: 'Contact', url: expect.any(String) },
        Account: {
          attributes: { type: 'Account', url: `/services/data/v66.0/sobjects/Account/${labs.id}` },
          Name: 'acme labs',
          Website: 'https://labs.example',
        },
        LastName: 'Runner',
      },
    ]);
    // The first key after attributes is Id, then Account where Account.Name was selected.
    expect(Object.keys(res.records[0] as object)).toEqual(['attributes', 'Id', 'Account', 'LastName']);

    const solo = await conn.query<Row>("SELECT LastName, Account.Name FROM Contact WHERE LastName = 'Solo'");
    expect(solo.records[0]?.Account).toBeNull();
    // "In a WHERE clause that uses OR, records are returned even if the foreign key value in a record is null."
    expect(
      await lastNames(
        conn,
        "SELECT LastName FROM Contact WHERE Account.Name = 'Globex' OR Account.Name = null",
      ),
    ).toEqual(['Simpson', 'Solo']);
    expect(
      await lastNames(
        conn,
        `SELECT LastName FROM Contact WHERE AccountId = '${(acme.id as string).slice(0, 15)}'`,
      ),
    ).toEqual(['Coyote']);
    const ordered = await conn.query<Row>(
      'SELECT LastName FROM Contact ORDER BY Account.Name DESC NULLS LAST',
    );
    expect(ordered.records.map((r) => r.LastName)).toEqual(['Simpson', 'Runner', 'Coyote', 'Solo']);
    const nullsFirst = await conn.query<Row>(
      'SELECT LastName FROM Contact ORDER BY Account.Name NULLS FIRST, LastName',
    );
    expect(nullsFirst.records.map((r) => r.LastName)).toEqual(['Solo', 'Coyote', 'Runner', 'Simpson']);

    // The same REST sObject API reads and edits the Account, and the query follows.
    expect(await conn.sobject('Account').retrieve(globex.id as string)).toMatchObject({
      attributes: { type: 'Account' },
      Id: globex.id,
      Name: 'Globex',
    });
    await conn.sobject('Account').update({ Id: globex.id as string, Name: 'Globex Corporation' });
    expect(await lastNames(conn, "SELECT LastName FROM Contact WHERE Account.Name LIKE 'globex c%'")).toEqual(
      ['Simpson'],
    );
    expect((await conn.sobject('Account').describe()).fields.map((f) => f.name)).toContain('Website');

    await expect(
      conn.sobject('Contact').create({ LastName: 'Lost', AccountId: `${(acme.id as string).slice(0, 14)}Z` }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY' });
    await expect(
      conn.sobject('Contact').create({ LastName: 'Lost', AccountId: 'acme' }),
    ).rejects.toMatchObject({
      errorCode: 'MALFORMED_ID',
    });
    await expect(conn.sobject('Account').create({ Website: 'https://no.name' })).rejects.toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
    });
    await expect(conn.query('SELECT Account.Nope FROM Contact')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Nope' on entity 'Account'"),
    });
    await expect(conn.query('SELECT Acount.Name FROM Contact')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("Didn't understand relationship 'Acount' in field path"),
    });
    await expect(conn.query("SELECT Id FROM Contact WHERE AccountId LIKE '001%'")).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      message: expect.stringContaining('invalid operator on id field'),
    });
    await expect(conn.query("SELECT Id FROM Contact WHERE AccountId = 'Acme Corp'")).rejects.toMatchObject({
      errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
      message: expect.stringContaining('invalid ID field: Acme Corp'),
    });
    // Account is read through its Contacts only: describe says it is not queryable.
    expect((await conn.sobject('Account').describe()).queryable).toBe(false);
    await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
  });

  it('refuses what it does not run with the error Salesforce gives, in its [{message, errorCode}] envelope', async () => {
    const cases: [string, string][] = [
      ['SELECT LastName FROM Contact GROUP BY LastName', 'MALFORMED_QUERY'],
      ['SELECT Id, (SELECT Id FROM Cases) FROM Contact', 'INVALID_TYPE'],
      ['SELECT TYPEOF Owner WHEN User THEN Name END FROM Contact', 'MALFORMED_QUERY'],
      ['SELECT Id FROM Contact FOR UPDATE', 'MALFORMED_QUERY'],
      ['SELECT Id FROM Contact WITH SECURITY_ENFORCED', 'MALFORMED_QUERY'],
      ['SELECT Id FROM Contact USING SCOPE mine', 'MALFORMED_QUERY'],
      ['SELECT Id FROM Contact WHERE Id IN (SELECT ContactId FROM Case)', 'MALFORMED_QUERY'],
      ['SELECT Id FROM Contact WHERE CALENDAR_YEAR(CreatedDate) = 2026', 'MALFORMED_QUERY'],
      ['SELECT FORMAT(CreatedDate) FROM Contact', 'MALFORMED_QUERY'],
      ['SELECT SUM(LastName) FROM Contact', 'INVALID_FIELD'],
      ["SELECT Id FROM Contact WHERE LastName INCLUDES ('a')", 'INVALID_QUERY_FILTER_OPERATOR'],
      ["SELECT Id FROM Contact WHERE LastName = 'a\\qb'", 'MALFORMED_QUERY'],
      ["SELECT Id FROM Contact WHERE LastName = 'unterminated", 'MALFORMED_QUERY'],
      ['SELECT Id FROM Contact WHERE LastName = 5', 'INVALID_FIELD'],
      ["SELECT Id FROM Contact WHERE IsDeleted = 'false'", 'INVALID_FIELD'],
      ['SELECT Id FROM Contact ORDER BY LastName LIMIT 1 OFFSET 2500', 'NUMBER_OUTSIDE_VALID_RANGE'],
      ['SELECT Id FROM Contact c', 'MALFORMED_QUERY'],
    ];
    for (const [soql, errorCode] of cases) {
      const res = await fetch(`${mock.url}/services/data/v66.0/query?q=${encodeURIComponent(soql)}`, {
        headers: { authorization: `Bearer ${mock.token}` },
      });
      const body = (await res.json()) as { message: string; errorCode: string }[];
      expect({ soql, status: res.status, errorCode: body[0]?.errorCode }).toEqual({
        soql,
        status: 400,
        errorCode,
      });
      expect(body).toHaveLength(1);
      expect(Object.keys(body[0] as object).sort()).toEqual(['errorCode', 'message']);
      expect(body[0]?.message).toMatch(/\nERROR at Row:1:Column:\d+\n|^Maximum SOQL offset/);
    }
  });
});

describe('SOQL date literals on the mock Salesforce (clock at Wednesday 2026-03-11 12:00 UTC)', () => {
  const NOW = Date.parse('2026-03-11T12:00:00Z');
  let mock: StartedMock;
  let conn: jsforce.Connection;

  beforeEach(async () => {
    // Only Date is faked: the mock's clock reads it, timers and sockets keep running.
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    mock = await startMockSalesforce();
    conn = connect(mock);
    // Created at these instants (the firehose backdates; CreatedDate is stored to the second).
    const created: [string, string][] = [
      ['today', '2026-03-11T09:00:00Z'],
      ['yesterdayLate', '2026-03-10T23:59:59Z'],
      ['sundayMidnight', '2026-03-08T00:00:00Z'],
      ['lastSaturday', '2026-03-07T12:00:00Z'],
      ['firstOfMonth', '2026-03-01T10:00:00Z'],
      ['lateFebruary', '2026-02-26T08:00:00Z'],
      ['newYearsEve', '2025-12-31T23:00:00Z'],
      ['october', '2025-10-01T00:00:00Z'],
    ];
    for (const [name, at] of created) {
      await seed(mock, [{ externalId: `${name}@e.io`, fields: { lastname: name } }], Date.parse(at));
    }
  });
  afterEach(async () => {
    await mock.close();
    vi.useRealTimers();
  });

  it('compares datetime fields with TODAY, YESTERDAY, weeks, months, years and N-day ranges', async () => {
    const created = (clause: string) =>
      lastNames(conn, `SELECT LastName FROM Contact WHERE CreatedDate ${clause}`);
    expect(await created('= TODAY')).toEqual(['today']);
    expect(await created('= YESTERDAY')).toEqual(['yesterdayLate']);
    expect(await created('> YESTERDAY')).toEqual(['today']);
    expect(await created('>= YESTERDAY')).toEqual(['today', 'yesterdayLate']);
    expect(await created('< TODAY')).toHaveLength(7);
    expect(await created('!= TODAY')).toHaveLength(7);
    // en_US weeks start on Sunday: this week is 03-08..03-14, last week 03-01..03-07.
    expect(await created('= THIS_WEEK')).toEqual(['sundayMidnight', 'today', 'yesterdayLate']);
    expect(await created('= LAST_WEEK')).toEqual(['firstOfMonth', 'lastSaturday']);
    expect(await created('= THIS_MONTH')).toEqual([
      'firstOfMonth',
      'lastSaturday',
      'sundayMidnight',
      'today',
      'yesterdayLate',
    ]);
    expect(await created('= LAST_MONTH')).toEqual(['lateFebruary']);
    expect(await created('< THIS_YEAR')).toEqual(['newYearsEve', 'october']);
    expect(await created('= LAST_YEAR')).toEqual(['newYearsEve', 'october']);
    expect(await created('= LAST_QUARTER')).toEqual(['newYearsEve', 'october']);
    // LAST_N_DAYS:n is today and the n days before it: from 03-08 00:00 for n = 3.
    expect(await created('= LAST_N_DAYS:3')).toEqual(['sundayMidnight', 'today', 'yesterdayLate']);
    expect(await created('= LAST_N_DAYS:13')).toEqual([
      'firstOfMonth',
      'lastSaturday',
      'lateFebruary',
      'sundayMidnight',
      'today',
      'yesterdayLate',
    ]);
    expect(await created('= N_DAYS_AGO:3')).toEqual(['sundayMidnight']);
    expect(await created('= LAST_90_DAYS')).toHaveLength(7);
    expect(await created('< LAST_90_DAYS')).toEqual(['october']);
    expect(await created('= LAST_N_MONTHS:5')).toEqual(['lateFebruary', 'newYearsEve', 'october']);
    expect(await created('= NEXT_N_DAYS:5')).toEqual([]);
    expect(await created("= TODAY OR LastName = 'october'")).toEqual(['october', 'today']);
  });

  it('compares a date field (Birthdate) with date values and date literals', async () => {
    for (const [LastName, Birthdate] of [
      ['b-yesterday', '2026-03-10'],
      ['b-today', '2026-03-11'],
      ['b-tomorrow', '2026-03-12'],
      ['b-next-week', '2026-03-16'],
    ]) {
      expect(await conn.sobject('Contact').create({ LastName, Birthdate })).toMatchObject({ success: true });
    }
    const born = (clause: string) =>
      lastNames(conn, `SELECT LastName FROM Contact WHERE Birthdate ${clause}`);
    expect(await born('= TOMORROW')).toEqual(['b-tomorrow']);
    expect(await born('> TODAY')).toEqual(['b-next-week', 'b-tomorrow']);
    expect(await born('= NEXT_WEEK')).toEqual(['b-next-week']);
    expect(await born('= NEXT_N_DAYS:1')).toEqual(['b-tomorrow']);
    expect(await born('= 2026-03-10')).toEqual(['b-yesterday']);
    expect(await born('<= 2026-03-11')).toEqual(['b-today', 'b-yesterday']);
    const row = await conn.query<{ Birthdate: string }>(
      "SELECT Birthdate FROM Contact WHERE LastName = 'b-today'",
    );
    expect(row.records[0]?.Birthdate).toBe('2026-03-11');
    await expect(
      conn.sobject('Contact').create({ LastName: 'x', Birthdate: '11/03/2026' }),
    ).rejects.toMatchObject({
      errorCode: 'JSON_PARSER_ERROR',
    });
  });

  it('refuses a value of the wrong type for the field, and an unknown or incomplete date literal', async () => {
    const refused: [string, string][] = [
      ["CreatedDate = '2026-03-11T00:00:00Z'", 'INVALID_FIELD'],
      ['CreatedDate > 2026-03-11', 'INVALID_FIELD'],
      ['Birthdate > 2026-03-11T00:00:00Z', 'INVALID_FIELD'],
      ['LastName = TODAY', 'INVALID_FIELD'],
      ['CreatedDate = LAST_N_DAYS', 'MALFORMED_QUERY'],
      ['CreatedDate = TODAY:3', 'MALFORMED_QUERY'],
      ['CreatedDate = NEXT_FORTNIGHT', 'MALFORMED_QUERY'],
      ['CreatedDate > 2026-02-30T00:00:00Z', 'MALFORMED_QUERY'],
      ['CreatedDate > 2026-03-11T00:00:00', 'MALFORMED_QUERY'],
    ];
    for (const [clause, errorCode] of refused) {
      await expect(conn.query(`SELECT Id FROM Contact WHERE ${clause}`), clause).rejects.toMatchObject({
        errorCode,
      });
    }
  });
});
