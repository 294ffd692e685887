import { PocError } from '../../errors.js';
import type { createHttpClient } from '../../pipeline/outbound/http-client.js';
import type { CrmApi, DeletedPage, RecordPage, RecordState } from '../types.js';
import { canonicalFields } from './fields.js';
import { STANDARD_RECOVERY_RULES } from './profile.js';

type Request = ReturnType<typeof createHttpClient>;

interface ListBody<T> {
  data?: T[];
  next_cursor?: string | null;
}

interface ContactBody {
  id: string | number;
  updated_at: string;
  [field: string]: unknown;
}

interface TombstoneBody {
  id: string | number;
  deleted_at: string;
}

/** The largest page the API allows: recovery reads whole histories, in as few calls as it can. */
const LIMIT = STANDARD_RECOVERY_RULES.pageMax.value;

function contactsOnly(method: string, objectType: string): void {
  if (objectType !== 'contacts') {
    throw new PocError(
      'POC_ERR_NOT_SUPPORTED',
      `${method}: the standard CRM only has contacts, not "${objectType}"`,
    );
  }
}

/** A time the API wrote, as epoch ms; a body without one is the CRM's fault, not a zero. */
function epochMs(iso: string | undefined, what: string): number {
  const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) throw new PocError('POC_ERR_VENDOR_HTTP', `${what} is not an ISO 8601 date: ${iso}`);
  return ms;
}

function toRecordState(contact: ContactBody): RecordState {
  return {
    // The same id the webhooks carry as data.id, so the local store lines up.
    id: String(contact.id),
    // updated_at and the webhook `timestamp` come from one millisecond clock: no rounding.
    modifiedAt: epochMs(contact.updated_at, `contact ${contact.id} updated_at`),
    fields: canonicalFields(contact),
  };
}

function withCursor(path: string, cursor: string | undefined): string {
  return cursor === undefined ? path : `${path}&cursor=${encodeURIComponent(cursor)}`;
}

function nextCursor(body: ListBody<unknown>): { cursor?: string } {
  return typeof body.next_cursor === 'string' && body.next_cursor.length > 0
    ? { cursor: body.next_cursor }
    : {};
}

/**
 * Recovery reads (documented in api.ts): the full list in id order, the `modified_since` list in
 * (updated_at, id) order and the tombstones of GET /v1/contacts/deleted, each paged by the CRM's
 * opaque keyset cursor. No change feed: the CRM has no replay API.
 */
export function standardRecords(
  request: Request,
): Pick<CrmApi, 'listRecords' | 'listModifiedSince' | 'listDeletedSince'> {
  async function contacts(operation: string, path: string): Promise<RecordPage> {
    const body = ((await request(operation, 'GET', path)).body ?? {}) as ListBody<ContactBody>;
    return { records: (body.data ?? []).map(toRecordState), ...nextCursor(body) };
  }

  return {
    listRecords(objectType, cursor) {
      contactsOnly('listRecords', objectType);
      return contacts('contacts.list', withCursor(`/v1/contacts?limit=${LIMIT}`, cursor));
    },

    listModifiedSince(objectType, since, cursor) {
      contactsOnly('listModifiedSince', objectType);
      const from = encodeURIComponent(new Date(since).toISOString());
      return contacts(
        'contacts.search',
        withCursor(`/v1/contacts?modified_since=${from}&limit=${LIMIT}`, cursor),
      );
    },

    async listDeletedSince(objectType, since, cursor): Promise<DeletedPage> {
      contactsOnly('listDeletedSince', objectType);
      const from = encodeURIComponent(new Date(since).toISOString());
      const path = withCursor(`/v1/contacts/deleted?since=${from}&limit=${LIMIT}`, cursor);
      const body = ((await request('contacts.deleted', 'GET', path)).body ?? {}) as ListBody<TombstoneBody>;
      return {
        records: (body.data ?? []).map((t) => ({
          id: String(t.id),
          deletedAt: epochMs(t.deleted_at, `deleted contact ${t.id} deleted_at`),
        })),
        ...nextCursor(body),
      };
    },
  };
}
