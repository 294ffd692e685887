import { type EventAction, MalformedDeliveryError, TooManyEventsError, type VendorEvent } from '../types.js';
import { toCanonicalFields, type ZohoOperation } from './fields.js';
import { zohoProfile } from './profile.js';

/** The most record ids Zoho puts in one notification (one per record, ids of one API call). */
const MAX_IDS = zohoProfile.webhooks.batchMax.value;

/** A Zoho CRM notification as it reaches notify_url (shared/vendors.md §4.5). */
export interface ZohoNotification {
  server_time: number;
  query_params: Record<string, unknown>;
  module: string;
  resource_uri: string;
  ids: string[];
  /** Per changed record, the API names that changed: `[{"<id>": ["Last_Name"]}]` (unverified). */
  affected_fields: Record<string, string[]>[];
  /** Only with return_affected_field_values; see ZOHO_FACTS.affectedValuesShape. */
  affected_values?: AffectedValues[];
  operation: ZohoOperation;
  channel_id: string;
  token?: string;
}

export interface AffectedValues {
  record_id: string;
  values: Record<string, unknown>;
}

const ACTIONS: Readonly<Record<ZohoOperation, EventAction>> = {
  insert: 'create',
  update: 'update',
  delete: 'delete',
};

/**
 * Zoho gives a notification no id, and one notification names many records, so the identity of
 * one record's event is the channel, the notification's server_time, the operation and the record.
 * A vendor retry resends the same server_time, so it dedupes; a later change of the same record
 * has a later server_time, so it does not.
 */
export function zohoEventKey(channelId: string, serverTime: number, operation: string, id: string): string {
  return `${channelId}:${serverTime}:${operation}:${id}`;
}

/** The one place that reads Zoho's affected values (its shape is unverified, see the profile). */
function readAffectedValues(raw: unknown): Map<string, Record<string, unknown>> {
  const byRecord = new Map<string, Record<string, unknown>>();
  if (raw === undefined || raw === null) return byRecord;
  if (!Array.isArray(raw)) throw new MalformedDeliveryError('affected_values must be an array');
  for (const [i, entry] of raw.entries()) {
    const e = entry as Partial<AffectedValues> | null;
    if (
      typeof e !== 'object' ||
      e === null ||
      (typeof e.record_id !== 'string' && typeof e.record_id !== 'number')
    )
      throw new MalformedDeliveryError(`affected_values[${i}].record_id must be a string`);
    if (typeof e.values !== 'object' || e.values === null || Array.isArray(e.values))
      throw new MalformedDeliveryError(`affected_values[${i}].values must be an object`);
    // Ids are unique within one notification (one operation, one call): the first entry wins.
    if (!byRecord.has(String(e.record_id))) byRecord.set(String(e.record_id), e.values);
  }
  return byRecord;
}

function isOperation(value: unknown): value is ZohoOperation {
  return value === 'insert' || value === 'update' || value === 'delete';
}

// Hand-written rather than a schema library: this runs for every delivery on the hot path.
export function parseZohoNotification(body: Buffer): VendorEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new MalformedDeliveryError('body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new MalformedDeliveryError('body must be a JSON object (one Zoho notification)');
  const n = parsed as Record<string, unknown>;
  if (typeof n.server_time !== 'number' || !Number.isFinite(n.server_time))
    throw new MalformedDeliveryError('server_time must be a number (ms since the epoch)');
  if (!isOperation(n.operation))
    throw new MalformedDeliveryError('operation must be one of insert, update, delete');
  if (typeof n.channel_id !== 'string' && typeof n.channel_id !== 'number')
    throw new MalformedDeliveryError('channel_id must be a string');
  if (typeof n.module !== 'string' || n.module.length === 0)
    throw new MalformedDeliveryError('module must be a non-empty string');
  if (!Array.isArray(n.ids) || n.ids.length === 0)
    throw new MalformedDeliveryError('ids must be a non-empty array');
  if (n.ids.length > MAX_IDS)
    throw new TooManyEventsError(
      `ids holds ${n.ids.length} record ids; Zoho sends at most ${MAX_IDS} in one notification`,
      MAX_IDS,
    );
  const values = readAffectedValues(n.affected_values);
  const serverTime = n.server_time;
  const operation = n.operation;
  const channelId = String(n.channel_id);
  const type = `${n.module}.${operation}`;
  return n.ids.map((rawId, i) => {
    if ((typeof rawId !== 'string' || rawId.length === 0) && typeof rawId !== 'number')
      throw new MalformedDeliveryError(`ids[${i}] must be a record id`);
    const id = String(rawId);
    const changed = values.get(id);
    const fields = changed ? toCanonicalFields(changed) : {};
    // An update without values names a record but not what to write: poc cannot apply it.
    const action = operation === 'update' && !changed ? undefined : ACTIONS[operation];
    return {
      key: zohoEventKey(channelId, serverTime, operation, id),
      objectId: id,
      type,
      action,
      occurredAt: serverTime,
      // Zoho sends no attempt counter: a retry looks like the first try.
      attempt: 0,
      fields,
    };
  });
}
