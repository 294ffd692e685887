import { PocError } from '../../errors.js';
import {
  createHttpClient,
  type HttpClientOptions,
  type JsonResponse,
} from '../../pipeline/outbound/http-client.js';
import type { CrmApi, DeletedPage, DeletedRecord, RecordPage, RecordState } from '../types.js';
import { toCanonicalFields, ZOHO_FIELD_NAMES, zohoModule } from './fields.js';
import { ZOHO_FACTS } from './profile.js';
import { zohoDateTime } from './wire.js';

const PER_PAGE = ZOHO_FACTS.listPerPageMax.value;
/** Every canonical field, plus the clock; Zoho lists nothing without `fields`. */
const FIELDS = [...Object.values(ZOHO_FIELD_NAMES), 'Modified_Time'].join(',');

interface ListBody {
  data?: Record<string, unknown>[];
  info?: { more_records?: boolean; next_page_token?: string | null; page?: number };
}

/** Zoho keeps record times to the second, so a `since` in ms rounds down to it. */
function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function toRecordState(row: Record<string, unknown>): RecordState {
  const modifiedAt = typeof row.Modified_Time === 'string' ? Date.parse(row.Modified_Time) : Number.NaN;
  if ((typeof row.id !== 'string' && typeof row.id !== 'number') || !Number.isFinite(modifiedAt))
    throw new PocError('POC_ERR_VENDOR_HTTP', 'zoho: a listed record has no id or Modified_Time');
  const { id, Modified_Time: _clock, ...rest } = row;
  return { id: String(id), modifiedAt, fields: toCanonicalFields(rest) };
}

function toDeleted(row: Record<string, unknown>): DeletedRecord {
  const deletedAt = typeof row.deleted_time === 'string' ? Date.parse(row.deleted_time) : Number.NaN;
  if ((typeof row.id !== 'string' && typeof row.id !== 'number') || !Number.isFinite(deletedAt))
    throw new PocError('POC_ERR_VENDOR_HTTP', 'zoho: a deleted record has no id or deleted_time');
  return { id: String(row.id), deletedAt };
}

/**
 * One page of Get Records. 204 (nothing at all) and 304 (nothing modified since) are empty last
 * pages. Beyond the first page Zoho pages by next_page_token (`page` stops at 2,000 records).
 */
function listPage(res: JsonResponse): RecordPage {
  if (res.status === 204 || res.status === 304) return { records: [] };
  const body = (res.body ?? {}) as ListBody;
  const records = (body.data ?? []).map(toRecordState);
  if (!body.info?.more_records) return { records };
  const next = body.info.next_page_token;
  if (typeof next !== 'string' || next.length === 0)
    throw new PocError('POC_ERR_VENDOR_HTTP', 'zoho: more_records without a next_page_token');
  return { records, cursor: next };
}

/**
 * Snapshot, modified-since and deleted reads over Get Records (`page_token` paging) and Get
 * Deleted Records (`page` paging, the only one it takes). If-Modified-Since is a header, so each
 * read gets a client with it; budget, limiter and reporting are the connection's own.
 */
export function zohoRecords(
  options: HttpClientOptions,
): Pick<CrmApi, 'listRecords' | 'listModifiedSince' | 'listDeletedSince'> {
  const plain = createHttpClient(options);
  const since = (ms: number) =>
    createHttpClient({ ...options, headers: { ...options.headers, 'if-modified-since': zohoDateTime(ms) } });

  function query(params: Record<string, string | undefined>): string {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
    return q.toString();
  }

  return {
    // id order is a keyset Zoho's page_token can hold while records change under it.
    async listRecords(objectType, cursor) {
      const path = `/crm/v8/${zohoModule(objectType)}?${query({
        fields: FIELDS,
        per_page: String(PER_PAGE),
        sort_by: 'id',
        sort_order: 'asc',
        page_token: cursor,
      })}`;
      return listPage(await plain(`${objectType}.list`, 'GET', path));
    },

    /**
     * Whether If-Modified-Since keeps records of that very second is undocumented, so it asks
     * from one second earlier and drops what is older than `since`'s second: right either way.
     * A page left empty by that is skipped, so no page comes back empty with a cursor.
     */
    async listModifiedSince(objectType, sinceMs, cursor) {
      const from = wholeSecond(sinceMs);
      const request = since(from - 1000);
      let token = cursor;
      for (;;) {
        const path = `/crm/v8/${zohoModule(objectType)}?${query({
          fields: FIELDS,
          per_page: String(PER_PAGE),
          sort_by: 'Modified_Time',
          sort_order: 'asc',
          page_token: token,
        })}`;
        const page = listPage(await request(`${objectType}.modified`, 'GET', path));
        const records = page.records.filter((r) => r.modifiedAt >= from);
        if (records.length > 0 || page.cursor === undefined)
          return page.cursor === undefined ? { records } : { records, cursor: page.cursor };
        token = page.cursor;
      }
    },

    /**
     * `type=all`: the recycle bin and records deleted for good. The cursor is the next page
     * number, the only paging this list takes; the same one-second margin as above applies.
     */
    async listDeletedSince(objectType, sinceMs, cursor): Promise<DeletedPage> {
      const from = wholeSecond(sinceMs);
      const request = since(from - 1000);
      let page = cursor === undefined ? 1 : Number(cursor);
      if (!Number.isInteger(page) || page < 1)
        throw new PocError('POC_ERR_USAGE', `zoho: a deleted-records cursor is a page number, not ${cursor}`);
      for (;;) {
        const path = `/crm/v8/${zohoModule(objectType)}/deleted?${query({
          type: 'all',
          per_page: String(PER_PAGE),
          page: String(page),
        })}`;
        const res = await request(`${objectType}.deleted`, 'GET', path);
        if (res.status === 204 || res.status === 304) return { records: [] };
        const body = (res.body ?? {}) as ListBody;
        const records = (body.data ?? []).map(toDeleted).filter((d) => d.deletedAt >= from);
        const more = body.info?.more_records === true;
        if (records.length > 0 || !more) return more ? { records, cursor: String(page + 1) } : { records };
        page += 1;
      }
    },
  };
}
