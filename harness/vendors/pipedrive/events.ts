import { type EventAction, MalformedDeliveryError, type VendorEvent } from '../types.js';
import { parseJsonObject } from '../wire.js';
import type { CustomFieldKeys } from './field-keys.js';
import { customValue, fromPerson } from './fields.js';

/** `meta` of a webhooks v2 delivery (guide-for-webhooks-v2; field list partly unverified). */
export interface PipedriveWebhookMeta {
  action: string;
  entity: string;
  entity_id: string;
  company_id: string;
  user_id: string;
  correlation_id: string;
  timestamp: string;
  type: string;
  version: string;
  webhook_id: string;
  webhook_owner_id?: string;
  /** 1 on the first delivery; v1's `retry` counter (0-based) moved here as `attempt`. */
  attempt: number;
  host?: string;
  change_source?: string;
  is_bulk_edit?: boolean;
  permitted_user_ids?: string[];
  /** On the delete of the person a merge removed: the id of the person it was merged into. */
  merged_to_id?: string;
}

/** One webhooks v2 delivery: exactly one event per POST. */
export interface PipedriveWebhookBody {
  meta: PipedriveWebhookMeta;
  data: Record<string, unknown> | null;
  previous: Record<string, unknown> | null;
}

const ACTIONS: Readonly<Record<string, EventAction>> = {
  create: 'create',
  change: 'update',
  delete: 'delete',
};

/**
 * Webhooks v2 carry no event id. One change triggers exactly one webhook per subscription
 * (migration guide: "no deduplication needed"), and a retry repeats the delivery with only
 * `meta.attempt` changed, so the change is identified by the webhook, the entity, the action and
 * the change's timestamp. `attempt` stays out of the key so a retry is a duplicate. Two changes to
 * the same entity within one timestamp tick would collide; Pipedrive stamps milliseconds.
 */
export function pipedriveEventKey(
  meta: Pick<PipedriveWebhookMeta, 'webhook_id' | 'entity' | 'entity_id' | 'action' | 'timestamp'>,
): string {
  return `${meta.webhook_id}:${meta.entity}:${meta.entity_id}:${meta.action}:${meta.timestamp}`;
}

function idString(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function requiredString(meta: Record<string, unknown>, field: string): string {
  const value = idString(meta[field]);
  if (value === undefined) throw new MalformedDeliveryError(`meta.${field} must be a non-empty string`);
  return value;
}

function objectOrNull(body: Record<string, unknown>, field: string): Record<string, unknown> | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MalformedDeliveryError(`${field} must be an object or null`);
  }
  return value as Record<string, unknown>;
}

/** Retries so far (0 on the first delivery), from meta.attempt (1-based) or v1's `retry`. */
function retriesOf(meta: Record<string, unknown>, body: Record<string, unknown>): number {
  if (meta.attempt !== undefined) {
    if (typeof meta.attempt !== 'number' || !Number.isInteger(meta.attempt) || meta.attempt < 1) {
      throw new MalformedDeliveryError('meta.attempt must be an integer >= 1');
    }
    return meta.attempt - 1;
  }
  return typeof body.retry === 'number' && body.retry >= 0 ? body.retry : 0;
}

/** Canonical fields from `data`; custom fields whose hash key is not known keep the hash name. */
function canonicalFields(
  data: Record<string, unknown> | null,
  keys: CustomFieldKeys,
): Record<string, string> {
  if (data === null) return {};
  const reverse = keys.reverse();
  const fields = fromPerson(data, reverse);
  const custom = data.custom_fields;
  if (typeof custom === 'object' && custom !== null) {
    for (const [key, raw] of Object.entries(custom as Record<string, unknown>)) {
      const value = customValue(raw);
      if (reverse[key] === undefined && value !== undefined) fields[key] = value;
    }
  }
  return fields;
}

/** Parses one webhooks v2 body; throws MalformedDeliveryError naming the field that is wrong. */
export function parsePipedriveDelivery(body: Buffer, keys: CustomFieldKeys): VendorEvent[] {
  const root = parseJsonObject(body, 'a JSON object {meta, data, previous}');
  const meta = root.meta;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new MalformedDeliveryError('meta must be an object');
  }
  const m = meta as Record<string, unknown>;
  if (typeof m.version === 'string' && !m.version.startsWith('2')) {
    throw new MalformedDeliveryError(
      `meta.version "${m.version}" is not 2.0: create the webhook with version "2.0"`,
    );
  }
  const action = requiredString(m, 'action');
  const entity = requiredString(m, 'entity');
  const entityId = requiredString(m, 'entity_id');
  const webhookId = requiredString(m, 'webhook_id');
  const timestamp = requiredString(m, 'timestamp');
  const occurredAt = /^\d+$/.test(timestamp) ? Number(timestamp) : Date.parse(timestamp);
  if (!Number.isFinite(occurredAt))
    throw new MalformedDeliveryError('meta.timestamp must be an ISO 8601 time');
  const data = objectOrNull(root, 'data');
  objectOrNull(root, 'previous');
  return [
    {
      key: pipedriveEventKey({ webhook_id: webhookId, entity, entity_id: entityId, action, timestamp }),
      objectId: entityId,
      type: `${action}.${entity}`,
      action: ACTIONS[action],
      occurredAt,
      attempt: retriesOf(m, root),
      fields: entity === 'person' ? canonicalFields(data, keys) : {},
    },
  ];
}
