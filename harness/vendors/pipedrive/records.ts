import { PocError } from '../../errors.js';
import type { HttpRequest } from '../../pipeline/outbound/http-client.js';
import type { CrmApi, RecordPage, RecordState } from '../types.js';
import { fromPerson } from './fields.js';

/** API v2 list limit: "default 100, max 500" (shared/vendors.md §3.2, cursor pagination doc). */
export const PIPEDRIVE_LIST_LIMIT = 500;

interface PersonsPage {
  data?: Record<string, unknown>[] | null;
  additional_data?: { next_cursor?: string | null } | null;
}

/** `updated_since` in RFC 3339; Pipedrive keeps update_time to the second, so `since` rounds down. */
export function updatedSince(since: number): string {
  return `${new Date(Math.floor(since / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/**
 * A v2 person as a RecordState: its numeric id as a string (what webhooks carry as
 * meta.entity_id), update_time (whole seconds, "2025-01-01T10:20:00Z") as modifiedAt, and the
 * canonical fields that hold a value.
 */
function toRecordState(person: Record<string, unknown>, keyToCanonical: Readonly<Record<string, string>>) {
  const id = person.id;
  const modifiedAt = typeof person.update_time === 'string' ? Date.parse(person.update_time) : Number.NaN;
  if ((typeof id !== 'number' && typeof id !== 'string') || !Number.isFinite(modifiedAt)) {
    throw new PocError('POC_ERR_VENDOR_HTTP', 'pipedrive: a listed person has no id or update_time');
  }
  const fields = Object.fromEntries(
    Object.entries(fromPerson(person, keyToCanonical)).filter(([, value]) => value !== ''),
  );
  return { id: String(id), modifiedAt, fields } satisfies RecordState;
}

/**
 * Snapshot and modified-since reads of persons over GET /api/v2/persons and its cursor. There
 * is no deleted-persons list in API v2 (shared/vendors.md §3.2 lists none, and none is known
 * here), so listDeletedSince is absent: deletes are learned from webhooks or by reconcile.
 */
export function pipedriveRecords(
  request: HttpRequest,
  customKeys: () => Promise<Readonly<Record<string, string>>>,
): Pick<CrmApi, 'listRecords' | 'listModifiedSince'> {
  function assertContacts(objectType: string): void {
    if (objectType !== 'contacts') {
      throw new PocError(
        'POC_ERR_NOT_SUPPORTED',
        `pipedrive: only contacts (persons) are listed, not ${objectType}`,
      );
    }
  }

  async function page(operation: string, query: URLSearchParams, cursor: string | undefined) {
    const forward = await customKeys();
    const reverse = Object.fromEntries(Object.entries(forward).map(([canonical, key]) => [key, canonical]));
    query.set('limit', String(PIPEDRIVE_LIST_LIMIT));
    if (cursor !== undefined) query.set('cursor', cursor);
    const res = await request(operation, 'GET', `/api/v2/persons?${query}`);
    const body = (res.body ?? {}) as PersonsPage;
    const next = body.additional_data?.next_cursor;
    const result: RecordPage = {
      records: (body.data ?? []).map((p) => toRecordState(p, reverse)),
      ...(typeof next === 'string' && next.length > 0 ? { cursor: next } : {}),
    };
    return result;
  }

  return {
    listRecords(objectType, cursor) {
      assertContacts(objectType);
      return page('persons.list', new URLSearchParams({ sort_by: 'id', sort_direction: 'asc' }), cursor);
    },

    // A cursor continues one query, so every page repeats the same updated_since and sort.
    listModifiedSince(objectType, since, cursor) {
      assertContacts(objectType);
      const query = new URLSearchParams({
        updated_since: updatedSince(since),
        sort_by: 'update_time',
        sort_direction: 'asc',
      });
      return page('persons.modified', query, cursor);
    },
  };
}
