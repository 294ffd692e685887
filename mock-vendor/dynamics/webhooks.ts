import { randomUUID } from 'node:crypto';
import type { KeyValue, RemoteExecutionContext } from '../../harness/vendors/dynamics/events.js';
import { toWcfDate } from '../../harness/vendors/dynamics/events.js';
import { AUTH_TYPE, parseHttpHeaderAuthValue } from '../../harness/vendors/dynamics/fields.js';
import type { DeliveryFormat } from '../delivery-engine.js';
import type { DynamicsMockSettings } from './settings.js';

export interface ServiceEndpoint {
  readonly serviceendpointid: string;
  name: string;
  url: string;
  contract: number;
  authtype: number;
  authvalue: string;
}

export interface ProcessingStep {
  readonly sdkmessageprocessingstepid: string;
  name: string;
  mode: number;
  stage: number;
  rank: number;
  filteringattributes: string;
  readonly _eventhandler_value: string;
  readonly _sdkmessageid_value: string;
  readonly _sdkmessagefilterid_value: string;
}

/** The originating request: one per API call, shared by every step it fires. */
export interface RequestInfo {
  readonly requestId: string;
  readonly correlationId: string;
  readonly userId: string;
}

/** A record write as the event pipeline sees it. */
export interface EntityChange {
  readonly message: 'Create' | 'Update' | 'Delete';
  readonly logicalName: string;
  readonly id: string;
  /** The columns the request wrote (Target), not the whole row. */
  readonly target: Readonly<Record<string, unknown>>;
}

/** What one endpoint receives: the context and the auth it must carry. */
export interface PendingContext {
  readonly context: RemoteExecutionContext;
  readonly endpointId: string;
}

/** Where an endpoint's static key goes: a header, `?code=`, or other query parameters. */
export function endpointAuth(endpoint: ServiceEndpoint): { url: string; headers: Record<string, string> } {
  if (endpoint.authtype === AUTH_TYPE.HttpHeader) {
    return { url: endpoint.url, headers: parseHttpHeaderAuthValue(endpoint.authvalue) };
  }
  const url = new URL(endpoint.url);
  if (endpoint.authtype === AUTH_TYPE.WebhookKey) url.searchParams.set('code', endpoint.authvalue);
  else
    for (const [k, v] of Object.entries(parseHttpHeaderAuthValue(endpoint.authvalue)))
      url.searchParams.set(k, v);
  return { url: url.toString(), headers: {} };
}

function entityAttributes(values: Readonly<Record<string, unknown>>): KeyValue[] {
  return Object.entries(values).map(([key, value]) => ({ key, value }));
}

/** The serialized RemoteExecutionContext of one async PostOperation step (use-webhooks example). */
export function remoteExecutionContext(
  settings: DynamicsMockSettings,
  step: ProcessingStep,
  change: EntityChange,
  request: RequestInfo,
  now: number,
): RemoteExecutionContext {
  const target =
    change.message === 'Delete'
      ? {
          __type: 'EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts',
          Id: change.id,
          KeyAttributes: [],
          LogicalName: change.logicalName,
          Name: null,
          RowVersion: null,
        }
      : {
          __type: 'Entity:http://schemas.microsoft.com/xrm/2011/Contracts',
          Attributes: entityAttributes({ ...change.target, [`${change.logicalName}id`]: change.id }),
          EntityState: null,
          FormattedValues: [],
          Id: change.id,
          KeyAttributes: [],
          LogicalName: change.logicalName,
          RelatedEntities: [],
          RowVersion: null,
        };
  return {
    BusinessUnitId: settings.organizationId,
    CorrelationId: request.correlationId,
    Depth: 1,
    InitiatingUserId: request.userId,
    InputParameters: [{ key: 'Target', value: target }],
    IsExecutingOffline: false,
    IsInTransaction: false,
    IsOfflinePlayback: false,
    IsolationMode: 1,
    MessageName: change.message,
    Mode: step.mode,
    // One system job per step execution: its id is the identity of this delivery.
    OperationCreatedOn: toWcfDate(now),
    OperationId: randomUUID(),
    OrganizationId: settings.organizationId,
    OrganizationName: settings.organizationName,
    OutputParameters: change.message === 'Create' ? [{ key: 'id', value: change.id }] : [],
    OwningExtension: {
      Id: step.sdkmessageprocessingstepid,
      KeyAttributes: [],
      LogicalName: 'sdkmessageprocessingstep',
      Name: step.name,
      RowVersion: null,
    },
    ParentContext: null,
    PostEntityImages: [],
    PreEntityImages: [],
    PrimaryEntityId: change.id,
    PrimaryEntityName: change.logicalName,
    RequestId: request.requestId,
    SecondaryEntityName: 'none',
    SharedVariables: [],
    Stage: step.stage,
    UserId: request.userId,
  } as unknown as RemoteExecutionContext;
}

/**
 * Dataverse's wire format: one context per POST, with the endpoint's static key and the
 * x-ms-dynamics-* headers. The key is read at send time, so re-keying an endpoint applies to
 * its pending retries too, as a system job reads its endpoint when it runs.
 */
export function dynamicsDeliveryFormat(
  settings: DynamicsMockSettings,
  endpoint: () => ServiceEndpoint | undefined,
): DeliveryFormat<PendingContext> {
  return {
    batchMax: 1,
    encode(batch) {
      const context = batch[0]?.event.context;
      if (!context) throw new Error('dynamics delivery: empty batch');
      const current = endpoint();
      const auth = current ? endpointAuth(current) : { headers: {} };
      return {
        body: JSON.stringify(context),
        headers: {
          ...auth.headers,
          'x-request-id': context.RequestId ?? randomUUID(),
          'x-ms-dynamics-organization': `${settings.organizationName}.crm.dynamics.com`,
          'x-ms-dynamics-entity-name': context.PrimaryEntityName,
          'x-ms-dynamics-request-name': context.MessageName,
          'x-ms-correlation-request-id': context.CorrelationId,
        },
      };
    },
  };
}
