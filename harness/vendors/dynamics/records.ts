import { PocError } from '../../errors.js';
import { createHttpClient, type HttpClientOptions } from '../../pipeline/outbound/http-client.js';
import type { ChangeFeed, CrmApi, FeedChange, FeedPage, RecordPage, RecordState } from '../types.js';
import { columnOf, TABLES, toCanonical } from './fields.js';
import {
  CHANGE_TRACKING_RETENTION,
  DATAVERSE_API_PATH,
  EXPIRED_VERSION_STAMP,
  MAX_PAGE_SIZE,
} from './profile.js';

/** The canonical fields poc reads back, as contact columns, plus the vendor's modified time. */
const SELECT = [...['email', 'firstname', 'lastname', 'phone', 'poc_seq'].map(columnOf), 'modifiedon'].join(
  ',',
);

interface ODataCollection {
  value?: Record<string, unknown>[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

function tableOf(objectType: string): { entitySet: string; key: string } {
  const table = TABLES[objectType];
  if (!table) {
    throw new PocError(
      'POC_ERR_NOT_SUPPORTED',
      `dynamics: poc maps only ${Object.keys(TABLES).join(', ')} to Dataverse tables, not ${objectType}`,
    );
  }
  return { entitySet: table.entitySet, key: `${table.logicalName}id` };
}

/**
 * A nextLink or deltaLink as a path under the service root: links are absolute and name the
 * host Dataverse saw, while the client joins paths to the base URL it was given.
 */
function relativeLink(link: string): string {
  const url = new URL(link);
  const at = url.pathname.indexOf(DATAVERSE_API_PATH);
  if (at < 0) throw new PocError('POC_ERR_VENDOR_HTTP', `dynamics: link outside the Web API: ${link}`);
  return `${url.pathname.slice(at + DATAVERSE_API_PATH.length)}${url.search}`;
}

/** Dataverse writes date-times to the second in UTC (2024-01-01T10:00:00Z). */
function isoSeconds(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

function recordOf(row: Record<string, unknown>, key: string): RecordState {
  const id = row[key];
  const modifiedAt = Date.parse(String(row.modifiedon));
  if (typeof id !== 'string' || !Number.isFinite(modifiedAt)) {
    throw new PocError('POC_ERR_VENDOR_HTTP', `dynamics: a row came without its ${key} or modifiedon`);
  }
  return { id, modifiedAt, fields: toCanonical(row) };
}

/** `<version>!MM/dd/yyyy HH:mm:ss`: the date part, read as UTC (shared/vendors.md §5.5). */
function tokenDate(link: string): number | undefined {
  const token = new URL(link).searchParams.get('$deltatoken') ?? '';
  const m = /!(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(token);
  if (!m) return undefined;
  const [, mo, d, y, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

function odataErrorOf(text: string): { code?: string; message?: string } | undefined {
  try {
    return (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
  } catch {
    return undefined;
  }
}

type RecordReads = Pick<CrmApi, 'listRecords' | 'listModifiedSince'> & { readonly changeFeed: ChangeFeed };

/**
 * Reading records back for recovery: the entity set paged by Prefer odata.maxpagesize and
 * @odata.nextLink, a modifiedon filter for backfill, and change tracking as the change feed.
 * Dataverse lists no deleted rows outside change tracking, so there is no listDeletedSince.
 */
export function dynamicsRecords(client: HttpClientOptions): RecordReads {
  const doFetch = client.fetch ?? fetch;
  const paged = createHttpClient({
    ...client,
    headers: { ...client.headers, prefer: `odata.maxpagesize=${MAX_PAGE_SIZE.value}` },
  });

  async function page(operation: string, path: string, key: string): Promise<RecordPage> {
    const res = await paged(operation, 'GET', path);
    const body = (res.body ?? {}) as ODataCollection;
    const next = body['@odata.nextLink'];
    return {
      records: (body.value ?? []).map((row) => recordOf(row, key)),
      ...(next ? { cursor: relativeLink(next) } : {}),
    };
  }

  /**
   * One GET of a change-tracking link. An expired token is a 400 ExpiredVersionStamp; the client
   * throws on it like on any 4xx, so the answer is watched on the wire to tell it apart.
   */
  async function track(path: string, first: boolean): Promise<ODataCollection | { expired: string }> {
    let expired: string | undefined;
    const watching: typeof fetch = async (input, init) => {
      const res = await doFetch(input, init);
      if (res.status === 400) {
        const error = odataErrorOf(await res.clone().text());
        if (error?.code === EXPIRED_VERSION_STAMP.code) expired = `${error.code}: ${error.message ?? ''}`;
      }
      return res;
    };
    // The first read asks for a delta link; a delta link already carries that request.
    const headers = first
      ? { ...client.headers, prefer: `odata.track-changes,odata.maxpagesize=${MAX_PAGE_SIZE.value}` }
      : { ...client.headers, prefer: `odata.maxpagesize=${MAX_PAGE_SIZE.value}` };
    const request = createHttpClient({ ...client, headers, fetch: watching });
    try {
      return (await request('delta', 'GET', path)).body as ODataCollection;
    } catch (err) {
      if (expired !== undefined) return { expired };
      throw err;
    }
  }

  const changeFeed: ChangeFeed = {
    kind: 'delta-link',
    retentionMs: CHANGE_TRACKING_RETENTION,
    // The Web API hands out a delta link only at the end of a full tracked read: there is no
    // cheaper way to learn the position now (RetrieveEntityChanges is not in the Web API).
    async current(objectType) {
      let path = `/${tableOf(objectType).entitySet}?$select=${SELECT}`;
      for (let first = true; ; first = false) {
        const body = await track(path, first);
        if ('expired' in body) throw new PocError('POC_ERR_VENDOR_HTTP', `dynamics: delta: ${body.expired}`);
        if (body['@odata.deltaLink']) return relativeLink(body['@odata.deltaLink']);
        if (!body['@odata.nextLink']) {
          throw new PocError(
            'POC_ERR_VENDOR_HTTP',
            'dynamics: a tracked read ended without @odata.deltaLink',
          );
        }
        path = relativeLink(body['@odata.nextLink']);
      }
    },
    async read(objectType, position): Promise<FeedPage> {
      const { key } = tableOf(objectType);
      const body = await track(position, false);
      if ('expired' in body) return { expired: true, detail: body.expired };
      const next = body['@odata.nextLink'];
      const delta = body['@odata.deltaLink'];
      const link = next ?? delta;
      if (!link) throw new PocError('POC_ERR_VENDOR_HTTP', 'dynamics: a delta read ended without a link');
      // $deletedEntity rows carry no time; the new token's date (its newest change) bounds it.
      const deletedAt = (delta === undefined ? undefined : tokenDate(delta)) ?? Date.now();
      const changes = (body.value ?? []).map((row): FeedChange => {
        if (String(row['@odata.context'] ?? '').endsWith('/$deletedEntity')) {
          return { deleted: true, id: String(row.id), deletedAt };
        }
        return { deleted: false, ...recordOf(row, key) };
      });
      return { expired: false, changes, position: relativeLink(link), more: next !== undefined };
    },
  };

  return {
    listRecords(objectType, cursor) {
      const { entitySet, key } = tableOf(objectType);
      return page(`${objectType}.list`, cursor ?? `/${entitySet}?$select=${SELECT}`, key);
    },
    // modifiedon has second precision: `since` is rounded down so a change in the same second as
    // `since` is not lost. contactid breaks ties so the paging cookie names one row.
    listModifiedSince(objectType, since, cursor) {
      const { entitySet, key } = tableOf(objectType);
      const query =
        `$select=${SELECT}&$filter=${encodeURIComponent(`modifiedon ge ${isoSeconds(since)}`)}` +
        `&$orderby=${encodeURIComponent(`modifiedon asc,${key} asc`)}`;
      return page(`${objectType}.search`, cursor ?? `/${entitySet}?${query}`, key);
    },
    changeFeed,
  };
}
