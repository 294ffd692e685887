import { type EventAction, MalformedDeliveryError, type VendorEvent } from '../types.js';
import { parseJsonObject } from '../wire.js';
import { toCanonical } from './fields.js';

/** A `{key, value}` pair as the DataContract JSON serializer writes a .NET collection. */
export interface KeyValue<T = unknown> {
  key: string;
  value: T;
}

/** The Entity (or EntityReference, for Delete) inside InputParameters `Target` and images. */
export interface DataverseEntity {
  Attributes?: KeyValue[];
  Id: string;
  LogicalName: string;
  [extra: string]: unknown;
}

/**
 * The serialized Microsoft.Xrm.Sdk RemoteExecutionContext Dataverse posts, one per request
 * (shared/vendors.md §5.4). Only the members poc reads are typed; the rest pass through.
 */
export interface RemoteExecutionContext {
  MessageName: string;
  PrimaryEntityName: string;
  PrimaryEntityId: string;
  /** WCF JSON date: "/Date(1495810494000)/" or "/Date(1495810494000+0000)/". */
  OperationCreatedOn: string;
  /** The system job (asyncoperation) of an async step; the empty GUID for a sync step. */
  OperationId: string;
  RequestId: string | null;
  CorrelationId: string;
  Depth: number;
  Stage: number;
  Mode: number;
  InputParameters: KeyValue[];
  PostEntityImages?: KeyValue<DataverseEntity>[];
  OwningExtension?: { Id: string; LogicalName: string };
  [extra: string]: unknown;
}

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

const ACTIONS: Readonly<Record<string, EventAction>> = {
  Create: 'create',
  Update: 'update',
  Delete: 'delete',
};

export function parseWcfDate(value: string): number | undefined {
  const m = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
  return m ? Number(m[1]) : undefined;
}

export function toWcfDate(ms: number): string {
  return `/Date(${ms})/`;
}

/**
 * The identity of one delivery. An async step runs as one system job whose id is OperationId,
 * and the asynchronous service retries that same job, so a retry carries the same OperationId
 * while two changes never share one. RequestId is not enough: one request that fires two steps
 * (or two endpoints) yields two deliveries with the same RequestId. Sync steps have an empty
 * OperationId (unverified); for them the request and the step together are the identity.
 */
export function dynamicsEventKey(
  c: Pick<RemoteExecutionContext, 'OperationId' | 'RequestId' | 'OwningExtension' | 'PrimaryEntityId'>,
): string {
  if (c.OperationId && c.OperationId !== EMPTY_GUID) return c.OperationId;
  return `${c.RequestId ?? c.PrimaryEntityId}:${c.OwningExtension?.Id ?? ''}`;
}

function attributesOf(entity: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const attributes = (entity as DataverseEntity | undefined)?.Attributes;
  if (!Array.isArray(attributes)) return out;
  for (const a of attributes) if (a && typeof a.key === 'string') out[a.key] = a.value;
  return out;
}

function requireString(c: Record<string, unknown>, field: string): string {
  const v = c[field];
  if (typeof v !== 'string' || v.length === 0)
    throw new MalformedDeliveryError(`${field} must be a non-empty string`);
  return v;
}

// Hand-written rather than a schema library: this runs for every delivery on the hot path.
export function parseDynamicsDelivery(body: Buffer): VendorEvent[] {
  const c = parseJsonObject(body, 'one RemoteExecutionContext object');
  const messageName = requireString(c, 'MessageName');
  requireString(c, 'PrimaryEntityName');
  const objectId = requireString(c, 'PrimaryEntityId');
  const occurredAt = parseWcfDate(requireString(c, 'OperationCreatedOn'));
  if (occurredAt === undefined) {
    throw new MalformedDeliveryError('OperationCreatedOn must look like /Date(milliseconds)/');
  }
  if (!Array.isArray(c.InputParameters)) throw new MalformedDeliveryError('InputParameters must be an array');
  const context = c as unknown as RemoteExecutionContext;
  // Each must be a string or absent: the one that is present becomes the dedupe key.
  for (const field of ['OperationId', 'RequestId'] as const) {
    const v = context[field];
    if (v !== undefined && v !== null && typeof v !== 'string')
      throw new MalformedDeliveryError(`${field} must be a string`);
  }
  if (typeof context.OperationId !== 'string' && typeof context.RequestId !== 'string') {
    throw new MalformedDeliveryError('OperationId or RequestId must be a string');
  }
  const target = context.InputParameters.find((p) => p?.key === 'Target')?.value;
  const image = Array.isArray(context.PostEntityImages) ? context.PostEntityImages[0]?.value : undefined;
  // The post image holds the whole row when a step registers one; Target only what was written.
  const fields = { ...toCanonical(attributesOf(image)), ...toCanonical(attributesOf(target)) };
  return [
    {
      key: dynamicsEventKey(context),
      objectId,
      type: `${context.PrimaryEntityName}.${messageName}`,
      action: ACTIONS[messageName],
      occurredAt,
      // Dataverse sends no attempt counter: a retry looks exactly like the first try.
      attempt: 0,
      fields,
    },
  ];
}
