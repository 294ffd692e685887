import type { JsonResponse } from '../../pipeline/outbound/http-client.js';
import type { DeletedPage, RecordPage, RecordState } from '../types.js';

type Request = (operation: string, method: string, path: string, body?: unknown) => Promise<JsonResponse>;

/** The canonical fields, which are HubSpot's own property names (fields.ts). */
export const RECORD_PROPERTIES = ['email', 'firstname', 'lastname', 'phone', 'poc_seq'] as const;

/** Page sizes HubSpot allows: 100 for lists, 200 for search (shared/vendors.md §1.2). */
export const LIST_PAGE = 100;
export const SEARCH_PAGE = 200;

interface ApiObject {
  id?: string;
  properties?: Record<string, string | null>;
  updatedAt?: string;
  archivedAt?: string;
}

interface ListBody {
  results?: ApiObject[];
  paging?: { next?: { after?: string } };
}

interface SearchBody extends ListBody {
  total?: number;
}

function toState(o: ApiObject): RecordState {
  const props = o.properties ?? {};
  const fields: Record<string, string> = {};
  for (const name of RECORD_PROPERTIES) {
    const v = props[name];
    if (typeof v === 'string' && v.length > 0) fields[name] = v;
  }
  // lastmodifieddate is what search filters and sorts on; ISO with milliseconds, as occurredAt.
  const modified = Date.parse(props.lastmodifieddate ?? o.updatedAt ?? '');
  return { id: String(o.id), modifiedAt: modified, fields };
}

/**
 * Where a modified-since query stands. HubSpot search pages by an offset that stops at 10,000
 * results and shifts when records change under it, so the cursor is a keyset instead:
 * `gte`/`gt` a time, or `after` = the rest of one timestamp's records past an id, then later ones.
 */
type Position =
  | { readonly kind: 'gte' | 'gt'; readonly t: number }
  | { readonly kind: 'after'; readonly t: number; readonly id: string };

function encode(p: Position): string {
  return p.kind === 'after' ? `after:${p.t}:${p.id}` : `${p.kind}:${p.t}`;
}

function decode(cursor: string): Position {
  const [kind, t, id] = cursor.split(':');
  const time = Number(t);
  if (!Number.isSafeInteger(time)) throw new Error(`not a HubSpot modified-since cursor: ${cursor}`);
  if (kind === 'gte' || kind === 'gt') return { kind, t: time };
  if (kind === 'after' && id !== undefined && /^\d+$/.test(id)) return { kind, t: time, id };
  throw new Error(`not a HubSpot modified-since cursor: ${cursor}`);
}

const filter = (propertyName: string, operator: string, value: number | string) => ({
  propertyName,
  operator,
  value: String(value),
});

function filterGroups(p: Position) {
  if (p.kind !== 'after') return [{ filters: [filter('lastmodifieddate', p.kind.toUpperCase(), p.t)] }];
  return [
    { filters: [filter('lastmodifieddate', 'EQ', p.t), filter('hs_object_id', 'GT', p.id)] },
    { filters: [filter('lastmodifieddate', 'GT', p.t)] },
  ];
}

/** listRecords, listModifiedSince and listDeletedSince over HubSpot CRM v3. */
export function hubspotRecords(request: Request) {
  const properties = RECORD_PROPERTIES.join(',');

  async function list(operation: string, objectType: string, cursor: string | undefined, archived: boolean) {
    const query = new URLSearchParams({ limit: String(LIST_PAGE), properties });
    if (archived) query.set('archived', 'true');
    if (cursor !== undefined) query.set('after', cursor);
    const res = await request(operation, 'GET', `/crm/v3/objects/${objectType}?${query}`);
    const body = (res.body ?? {}) as ListBody;
    return { results: body.results ?? [], next: body.paging?.next?.after };
  }

  async function search(objectType: string, groups: unknown, sortBy: string) {
    const res = await request('contacts.search', 'POST', `/crm/v3/objects/${objectType}/search`, {
      filterGroups: groups,
      sorts: [{ propertyName: sortBy, direction: 'ASCENDING' }],
      properties: [...RECORD_PROPERTIES, 'lastmodifieddate'],
      limit: SEARCH_PAGE,
    });
    const body = (res.body ?? {}) as SearchBody;
    const records = (body.results ?? []).map(toState);
    const more = body.paging?.next !== undefined || (body.total ?? 0) > records.length;
    return { records, more };
  }

  return {
    async listRecords(objectType: string, cursor: string | undefined): Promise<RecordPage> {
      const page = await list('contacts.list', objectType, cursor, false);
      return { records: page.results.map(toState), ...(page.next ? { cursor: page.next } : {}) };
    },

    /**
     * Search allows one sort (search-the-crm: "only one sorting rule"), and HubSpot does not say
     * how it orders records sharing a lastmodifieddate. So a page never ends inside such a group:
     * a full page drops its last timestamp's records, the next query starts after the last kept
     * one; a page that is one timestamp throughout is read again by id, which is ordered.
     */
    async listModifiedSince(
      objectType: string,
      since: number,
      cursor: string | undefined,
    ): Promise<RecordPage> {
      const position = cursor === undefined ? { kind: 'gte' as const, t: since } : decode(cursor);
      const page = await search(objectType, filterGroups(position), 'lastmodifieddate');
      const last = page.records.at(-1);
      if (!page.more || last === undefined) return { records: page.records };
      const t = last.modifiedAt;
      if (page.records[0]?.modifiedAt !== t) {
        const kept = page.records.filter((r) => r.modifiedAt < t);
        const keptUntil = kept.at(-1)?.modifiedAt ?? t;
        return { records: kept, cursor: encode({ kind: 'gt', t: keptUntil }) };
      }
      const groupFilters = [filter('lastmodifieddate', 'EQ', t)];
      if (position.kind === 'after' && position.t === t)
        groupFilters.push(filter('hs_object_id', 'GT', position.id));
      const group = await search(objectType, [{ filters: groupFilters }], 'hs_object_id');
      const lastId = group.records.at(-1)?.id;
      const next: Position = lastId === undefined ? { kind: 'gt', t } : { kind: 'after', t, id: lastId };
      return { records: group.records, cursor: encode(next) };
    },

    /**
     * HubSpot lists archived records (`?archived=true`, with archivedAt) in id order and cannot
     * filter them by time, so each page is filtered here: a page may be empty and still have a
     * cursor. Records merged away do not appear as archived (unverified).
     */
    async listDeletedSince(
      objectType: string,
      since: number,
      cursor: string | undefined,
    ): Promise<DeletedPage> {
      const page = await list('contacts.deleted', objectType, cursor, true);
      const records = page.results
        .map((o) => ({ id: String(o.id), deletedAt: Date.parse(o.archivedAt ?? '') }))
        .filter((r) => r.deletedAt >= since);
      return { records, ...(page.next ? { cursor: page.next } : {}) };
    },
  };
}
