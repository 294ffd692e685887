import { type EventAction, MalformedDeliveryError, type VendorEvent } from '../types.js';
import { parseJsonArray } from '../wire.js';
import { hubspotProfile } from './profile.js';

/** A HubSpot webhook event as it appears on the wire (shared/vendors.md §1.5). */
export interface HubspotEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource?: string;
  changeFlag?: string;
  propertyName?: string;
  propertyValue?: string;
  /** contact.merge only (changelog new-subscription-types-for-webhooks). */
  primaryObjectId?: number;
  mergedObjectIds?: number[];
  newObjectId?: number;
  numberOfPropertiesMoved?: number;
}

const REQUIRED_NUMBERS = [
  'eventId',
  'subscriptionId',
  'portalId',
  'occurredAt',
  'attemptNumber',
  'objectId',
] as const;

/**
 * HubSpot says eventId alone "is not guaranteed to be unique": the identity of an event is the
 * portal, the subscription, the object, the event id and when it occurred, together.
 */
export function hubspotEventKey(
  e: Pick<HubspotEvent, 'portalId' | 'subscriptionId' | 'objectId' | 'eventId' | 'occurredAt'>,
): string {
  return `${e.portalId}:${e.subscriptionId}:${e.objectId}:${e.eventId}:${e.occurredAt}`;
}

// Hand-written rather than a schema library: this runs for every event on the receiver's hot path.
function toVendorEvents(raw: unknown, index: number): VendorEvent[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new MalformedDeliveryError(`event [${index}] is not an object`);
  }
  const e = raw as Record<string, unknown>;
  for (const field of REQUIRED_NUMBERS) {
    if (typeof e[field] !== 'number' || !Number.isFinite(e[field])) {
      throw new MalformedDeliveryError(`event [${index}].${field} must be a number`);
    }
  }
  if (typeof e.subscriptionType !== 'string' || e.subscriptionType.length === 0) {
    throw new MalformedDeliveryError(`event [${index}].subscriptionType must be a non-empty string`);
  }
  const h = e as unknown as HubspotEvent;
  const kind = h.subscriptionType.slice(h.subscriptionType.indexOf('.') + 1);
  const objectType = OBJECT_TYPES[h.subscriptionType.slice(0, h.subscriptionType.indexOf('.'))];
  if (kind === 'merge') return mergeEvents(h, objectType);
  const hasValue = typeof h.propertyName === 'string' && typeof h.propertyValue === 'string';
  const fields: Record<string, string> = hasValue
    ? { [h.propertyName as string]: h.propertyValue as string }
    : {};
  return [
    {
      key: hubspotEventKey(h),
      objectId: String(h.objectId),
      ...(objectType ? { objectType } : {}),
      type: h.subscriptionType,
      action: ACTIONS[kind] === 'update' && !hasValue ? undefined : ACTIONS[kind],
      occurredAt: h.occurredAt,
      attempt: h.attemptNumber,
      fields,
    },
  ];
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/**
 * A merge (changelog updated-merge-functionality-for-contacts-and-companies) puts a new record in
 * place of the primary and the merged ones: each old id is a delete, the new one a create. The
 * event carries ids only, so the new record's values come from a read, not from the event; when
 * newObjectId is the primary (merges before that change) the primary is kept, ids only.
 */
function mergeEvents(h: HubspotEvent, objectType: string | undefined): VendorEvent[] {
  const base = {
    ...(objectType ? { objectType } : {}),
    type: h.subscriptionType,
    occurredAt: h.occurredAt,
    attempt: h.attemptNumber,
    fields: {},
  };
  const key = hubspotEventKey(h);
  const merged: unknown = h.mergedObjectIds;
  if (!isId(h.primaryObjectId) || !isId(h.newObjectId) || !Array.isArray(merged) || !merged.every(isId)) {
    // Kept as a poison event rather than failing the batch: the other events are good.
    return [{ ...base, key, objectId: String(h.objectId), action: undefined }];
  }
  const newId = h.newObjectId;
  const gone = [...new Set([h.primaryObjectId, ...merged])].filter((id) => id !== newId);
  return [
    ...gone.map((id) => ({
      ...base,
      key: `${key}:gone:${id}`,
      objectId: String(id),
      action: 'delete' as const,
    })),
    {
      ...base,
      key: `${key}:into:${newId}`,
      objectId: String(newId),
      action: newId === h.primaryObjectId ? ('update' as const) : ('create' as const),
    },
  ];
}

/** subscriptionType's object part -> poc's canonical object type (the local store keeps them apart). */
const OBJECT_TYPES: Readonly<Record<string, string>> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
};

const ACTIONS: Readonly<Record<string, EventAction>> = {
  creation: 'create',
  propertyChange: 'update',
  deletion: 'delete',
  privacyDeletion: 'delete',
};

/** The most events HubSpot puts in one delivery; a larger array did not come from HubSpot. */
const MAX_EVENTS = hubspotProfile.webhooks.batchMax.value;

export function parseHubspotDelivery(body: Buffer): VendorEvent[] {
  const parsed = parseJsonArray(body, MAX_EVENTS, 'events');
  if (parsed.length === 0) throw new MalformedDeliveryError('body is an empty array');
  return parsed.flatMap(toVendorEvents);
}
