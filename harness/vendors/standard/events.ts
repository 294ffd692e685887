import { createHash } from 'node:crypto';
import { type EventAction, MalformedDeliveryError, type VendorEvent } from '../types.js';
import { parseJsonObject } from '../wire.js';
import { CONTACT_EVENT_TYPES, canonicalFields } from './fields.js';

/** The body of one message, as the spec recommends: `{type, timestamp, data}`. */
export interface StandardPayload {
  type: string;
  /** When the event occurred (ISO 8601), not when this attempt was made. */
  timestamp: string;
  data: { id: string; external_id?: string; [field: string]: unknown };
}

const ACTIONS = new Map<string, EventAction>(
  Object.entries(CONTACT_EVENT_TYPES).map(([action, type]) => [type, action as EventAction]),
);

/**
 * Parses one message. `messageId` is the `webhook-id` header, the spec's idempotency key; when
 * the body arrives without its headers (read back from a store, say) the key falls back to a
 * hash of the body, which a retry repeats byte for byte. The spec has no attempt number on the
 * wire, so `attempt` is always 0: a retry is only visible as a repeated webhook-id.
 */
export function parseStandardMessage(body: Buffer, messageId?: string): VendorEvent[] {
  const p = parseJsonObject(body, 'a JSON object {type, timestamp, data}');
  if (typeof p.type !== 'string' || p.type.length === 0) {
    throw new MalformedDeliveryError('type must be a non-empty string such as "contact.updated"');
  }
  const occurredAt = typeof p.timestamp === 'string' ? Date.parse(p.timestamp) : Number.NaN;
  if (Number.isNaN(occurredAt)) throw new MalformedDeliveryError('timestamp must be an ISO 8601 date');
  const data = p.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new MalformedDeliveryError('data must be an object');
  }
  const d = data as Record<string, unknown>;
  if ((typeof d.id !== 'string' || d.id.length === 0) && typeof d.id !== 'number') {
    throw new MalformedDeliveryError('data.id must be a non-empty string');
  }
  return [
    {
      key: messageId ?? `sha256:${createHash('sha256').update(body).digest('base64url')}`,
      objectId: String(d.id),
      type: p.type,
      action: ACTIONS.get(p.type),
      occurredAt,
      attempt: 0,
      fields: canonicalFields(d),
    },
  ];
}
