import { CONTACT_EVENT_TYPES } from '../../harness/vendors/standard/fields.js';
import type { DeliveryFaults } from '../faults.js';
import { createLimiter, type RequestLimiter } from '../rate-limiter.js';
import type { MockRecord, PropertyChange } from '../records.js';
import type { GroundTruth } from '../truth.js';
import { ContactBook, toContactJson } from './contacts.js';
import { WebhookEndpoints } from './endpoints.js';
import type { StandardMockSettings } from './settings.js';

/** The state of one emulated CRM account: contacts, limits, webhook endpoints and delivery. */
export class StandardMock {
  readonly contacts: ContactBook;
  readonly endpoints: WebhookEndpoints;
  readonly limiter: RequestLimiter;

  constructor(
    readonly settings: StandardMockSettings,
    readonly credentials: { readonly token: string; readonly defaultSecret: string },
    faults: DeliveryFaults,
    timeScale: number,
    readonly truth: GroundTruth,
  ) {
    this.contacts = new ContactBook(settings.tombstoneRetentionMs);
    this.limiter = createLimiter(settings.rateLimit);
    this.endpoints = new WebhookEndpoints(settings, faults, timeScale, truth);
  }

  /** Creates or updates by external id and publishes what changed, API and firehose alike. */
  upsert(externalId: string, properties: Record<string, string>, now: number): PropertyChange {
    const change = this.contacts.upsertByExternalId(externalId, properties, now);
    this.publish(change, now);
    return change;
  }

  create(properties: Record<string, string>, now: number): MockRecord {
    const change = this.contacts.store.create(properties, now);
    this.publish(change, now);
    return change.record;
  }

  update(record: MockRecord, properties: Record<string, string>, now: number): MockRecord {
    this.publish(this.contacts.store.update(record, properties, now), now);
    return record;
  }

  /** Deletes, keeps a tombstone and sends `contact.deleted` with the contact as it last stood. */
  delete(id: string, now: number): boolean {
    const removed = this.contacts.delete(id, now);
    if (!removed) return false;
    this.endpoints.publish(
      CONTACT_EVENT_TYPES.delete,
      {
        type: CONTACT_EVENT_TYPES.delete,
        timestamp: new Date(now).toISOString(),
        data: toContactJson(removed),
      },
      removed.id,
    );
    return true;
  }

  /** A full payload: the contact as it stands right after the change (the spec's "full" style). */
  private publish(change: PropertyChange, now: number): void {
    if (!change.created && change.changed.length === 0) return;
    const type = change.created ? CONTACT_EVENT_TYPES.create : CONTACT_EVENT_TYPES.update;
    this.endpoints.publish(
      type,
      { type, timestamp: new Date(now).toISOString(), data: toContactJson(change.record) },
      change.record.id,
    );
  }
}
