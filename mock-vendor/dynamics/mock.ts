import { randomUUID } from 'node:crypto';
import type { DeliveryFaults } from '../faults.js';
import type { GroundTruth } from '../truth.js';
import { ContactTable, type WriteCondition, type WriteOutcome } from './contacts.js';
import { DeliveryFleet } from './delivery-fleet.js';
import type { EntityKey } from './odata.js';
import { ServiceProtection } from './service-protection.js';
import type { DynamicsMockSettings } from './settings.js';
import {
  dynamicsDeliveryFormat,
  type EntityChange,
  endpointAuth,
  type PendingContext,
  type ProcessingStep,
  type RequestInfo,
  remoteExecutionContext,
  type ServiceEndpoint,
} from './webhooks.js';

/** The SDK messages the mock fires steps for, and their message filters (one per table). */
export const SDK_MESSAGES = ['Create', 'Update', 'Delete'] as const;

/** The application user every token of the mock belongs to (service protection is per user). */
export const APPLICATION_USER_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** The state of one emulated Dataverse environment: rows, registrations, limits and delivery. */
export class DynamicsMock {
  readonly contacts = new ContactTable();
  readonly protection: ServiceProtection;
  readonly endpoints = new Map<string, ServiceEndpoint>();
  readonly steps = new Map<string, ProcessingStep>();
  readonly messages = SDK_MESSAGES.map((name) => ({ sdkmessageid: randomUUID(), name }));
  readonly filters = this.messages.map((m) => ({
    sdkmessagefilterid: randomUUID(),
    primaryobjecttypecode: 'contact',
    _sdkmessageid_value: m.sdkmessageid,
  }));
  /** Tokens issued by the mock's Entra endpoint, with their expiry. */
  readonly issuedTokens = new Map<string, number>();
  readonly delivery: DeliveryFleet<PendingContext>;

  constructor(
    readonly settings: DynamicsMockSettings,
    readonly credentials: { token: string; webhookSecret: string },
    faults: DeliveryFaults,
    timeScale: number,
    readonly truth: GroundTruth,
  ) {
    this.protection = new ServiceProtection(settings);
    this.delivery = new DeliveryFleet(
      () => ({
        concurrency: settings.deliveryConcurrency,
        timeoutMs: settings.timeoutMs,
        retryDelaysMs: settings.retryDelaysMs,
        retryJitter: settings.retryJitter,
        timeScale,
      }),
      faults,
      truth,
    );
  }

  /** Creates or re-points the delivery queue of an endpoint after it is saved. */
  syncEndpoint(endpoint: ServiceEndpoint): void {
    const id = endpoint.serviceendpointid;
    const engine = this.delivery.ensure(id, () =>
      dynamicsDeliveryFormat(this.settings, () => this.endpoints.get(id)),
    );
    engine.targetUrl = endpointAuth(endpoint).url;
  }

  removeEndpoint(id: string): void {
    this.endpoints.delete(id);
    this.delivery.remove(id);
    for (const [stepId, step] of this.steps) if (step._eventhandler_value === id) this.steps.delete(stepId);
  }

  newRequest(userId = APPLICATION_USER_ID): RequestInfo {
    return { requestId: randomUUID(), correlationId: randomUUID(), userId };
  }

  /** Writes one contact and fires the steps registered for the message it turned into. */
  writeContact(
    key: EntityKey | undefined,
    columns: Record<string, string>,
    condition: WriteCondition,
    request: RequestInfo,
    now: number,
  ): WriteOutcome {
    const outcome = this.contacts.write(key, columns, condition, now);
    if (!outcome.ok) return outcome;
    // An upsert runs as Create or Update inside Dataverse, and steps on those fire.
    const target: Record<string, unknown> = {};
    for (const c of outcome.submitted) target[c] = outcome.record.properties[c] ?? null;
    this.fire(
      {
        message: outcome.created ? 'Create' : 'Update',
        logicalName: 'contact',
        id: this.contacts.guidOf(outcome.record),
        target,
      },
      request,
      now,
    );
    return outcome;
  }

  deleteContact(key: EntityKey, request: RequestInfo, now: number): boolean {
    const record = this.contacts.find(key);
    if (!record) return false;
    const id = this.contacts.guidOf(record);
    this.contacts.delete(record, now);
    this.fire({ message: 'Delete', logicalName: 'contact', id, target: {} }, request, now);
    return true;
  }

  private fire(change: EntityChange, request: RequestInfo, now: number): void {
    const message = this.messages.find((m) => m.name === change.message);
    if (!message) return;
    for (const step of this.steps.values()) {
      if (step._sdkmessageid_value !== message.sdkmessageid) continue;
      const filter = this.filters.find((f) => f.sdkmessagefilterid === step._sdkmessagefilterid_value);
      if (filter?.primaryobjecttypecode !== change.logicalName) continue;
      if (change.message === 'Update' && !writesFilteredColumn(step.filteringattributes, change.target))
        continue;
      const engine = this.delivery.get(step._eventhandler_value);
      if (!engine) continue;
      const context = remoteExecutionContext(this.settings, step, change, request, now);
      engine.emit({ context, endpointId: step._eventhandler_value }, change.id);
    }
  }
}

/** An Update step with filtering attributes fires only when the request writes one of them. */
function writesFilteredColumn(filtering: string, target: Readonly<Record<string, unknown>>): boolean {
  const columns = filtering
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  return columns.length === 0 || columns.some((c) => c in target);
}
