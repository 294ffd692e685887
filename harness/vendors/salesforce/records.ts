import { PocError } from '../../errors.js';
import type { HttpRequest } from '../../pipeline/outbound/http-client.js';
import type { DeletedPage, RecordPage, RecordState } from '../types.js';
import { sobjectOf, toCanonicalField, toSalesforceField } from './fields.js';

/**
 * Snapshots and backfill through SOQL. One query answers at most 2,000 records, linked to the
 * next batch by `nextRecordsUrl` (the locator is the cursor); 2,000 is also the default batch
 * size, so no Sforce-Query-Options header is needed
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm).
 */
export interface QueryResult {
  readonly done?: boolean;
  readonly nextRecordsUrl?: string;
  readonly records?: readonly Record<string, unknown>[];
}

/**
 * The modified time poc keys on. SystemModstamp moves on every save, the user's and the
 * system's (LastModifiedDate only on the user's), is indexed for SOQL filters, is the deletion
 * time of a deleted record, and is the field the Outbound Message carries for occurredAt
 * (events.ts): one clock for events, snapshots, backfill and deletes. Salesforce stores it to the
 * second (.000 milliseconds), so a query from `since` starts at the whole second.
 */
const MODIFIED = 'SystemModstamp';
const CANONICAL = ['email', 'firstname', 'lastname', 'phone', 'poc_seq'];

function selectList(): string {
  return ['Id', MODIFIED, ...CANONICAL.map(toSalesforceField)].join(', ');
}

/** A SOQL datetime literal at the whole second at or before `ms`: 2026-01-02T03:04:05Z. */
export function soqlDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Salesforce writes datetimes as 2026-11-23T18:10:23.000+0000; Date.parse reads that form. */
export function parseSfDateTime(value: unknown, what: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new PocError('POC_ERR_VENDOR_HTTP', `Salesforce: ${what} is not a datetime: ${String(value)}`);
  return ms;
}

function toState(row: Readonly<Record<string, unknown>>): RecordState {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(row)) {
    const canonical = toCanonicalField(name);
    if (canonical !== undefined && value !== null && value !== undefined && value !== '')
      fields[canonical] = String(value);
  }
  return {
    id: String(row.Id),
    modifiedAt: parseSfDateTime(row[MODIFIED], `${String(row.Id)}.${MODIFIED}`),
    fields,
  };
}

/** The query answer's rows and the next locator; a cursor that is not one is refused. */
async function queryPage(
  request: HttpRequest,
  operation: string,
  data: string,
  resource: 'query' | 'queryAll',
  soql: string,
  cursor: string | undefined,
): Promise<{ rows: readonly Record<string, unknown>[]; cursor?: string }> {
  if (cursor !== undefined && !cursor.startsWith('/services/data/')) {
    throw new PocError('POC_ERR_BAD_OPTION', `Salesforce: ${cursor} is not a nextRecordsUrl`);
  }
  const path = cursor ?? `${data}/${resource}?q=${encodeURIComponent(soql)}`;
  const res = await request(operation, 'GET', path);
  const body = (res.body ?? {}) as QueryResult;
  const rows = Array.isArray(body.records) ? body.records : [];
  return body.done === false && typeof body.nextRecordsUrl === 'string'
    ? { rows, cursor: body.nextRecordsUrl }
    : { rows };
}

export function salesforceRecords(request: HttpRequest, data: string) {
  return {
    async listRecords(objectType: string, cursor: string | undefined): Promise<RecordPage> {
      const soql = `SELECT ${selectList()} FROM ${sobjectOf(objectType)}`;
      const page = await queryPage(request, `${objectType}.list`, data, 'query', soql, cursor);
      return { records: page.rows.map(toState), ...(page.cursor ? { cursor: page.cursor } : {}) };
    },

    async listModifiedSince(
      objectType: string,
      since: number,
      cursor: string | undefined,
    ): Promise<RecordPage> {
      // Id breaks ties, so records sharing one second come back in the same order every time.
      const soql =
        `SELECT ${selectList()} FROM ${sobjectOf(objectType)} ` +
        `WHERE ${MODIFIED} >= ${soqlDateTime(since)} ORDER BY ${MODIFIED}, Id`;
      const page = await queryPage(request, `${objectType}.search`, data, 'query', soql, cursor);
      return { records: page.rows.map(toState), ...(page.cursor ? { cursor: page.cursor } : {}) };
    },

    /**
     * Deleted records from the Recycle Bin through queryAll (IsDeleted = true), their
     * SystemModstamp being the deletion time: the same source sObject Get Deleted reads, with
     * query paging. Salesforce keeps them 15 days, or less if the bin is emptied
     * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/resources_getdeleted.htm);
     * a merge's losers are among them.
     */
    async listDeletedSince(
      objectType: string,
      since: number,
      cursor: string | undefined,
    ): Promise<DeletedPage> {
      const soql =
        `SELECT Id, ${MODIFIED} FROM ${sobjectOf(objectType)} ` +
        `WHERE IsDeleted = true AND ${MODIFIED} >= ${soqlDateTime(since)} ORDER BY ${MODIFIED}, Id`;
      const page = await queryPage(request, `${objectType}.deleted`, data, 'queryAll', soql, cursor);
      return {
        records: page.rows.map((row) => ({
          id: String(row.Id),
          deletedAt: parseSfDateTime(row[MODIFIED], `${String(row.Id)}.${MODIFIED}`),
        })),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      };
    },
  };
}
