import { randomUUID } from 'node:crypto';
import type { DeliveryFaults } from '../faults.js';
import type { PipedriveMockSettings } from '../profiles/pipedrive.js';
import { type MockRecord, RecordStore } from '../records.js';
import type { GroundTruth } from '../truth.js';
import { PipedriveLimits } from './limits.js';
import { PersonFieldRegistry } from './person-fields.js';
import { previousOf, toWebhookPerson } from './persons.js';
import { type PendingBody, type Webhook, WebhookRegistry } from './webhooks.js';

/** Who made a change: `api` for API writes, `app` for changes inside Pipedrive (the firehose). */
export type ChangeSource = 'api' | 'app';

/** The state of one emulated Pipedrive company: persons, fields, limits, webhooks and delivery. */
export class PipedriveMock {
  readonly persons = new RecordStore(1);
  readonly fields: PersonFieldRegistry;
  readonly limits: PipedriveLimits;
  readonly webhooks: WebhookRegistry;

  constructor(
    readonly settings: PipedriveMockSettings,
    readonly token: string,
    faults: DeliveryFaults,
    timeScale: number,
    readonly truth: GroundTruth,
  ) {
    this.fields = new PersonFieldRegistry(settings.companyId, Date.now());
    this.limits = new PipedriveLimits(settings);
    this.webhooks = new WebhookRegistry(settings, faults, timeScale, truth);
  }

  create(props: Record<string, string>, source: ChangeSource, now: number): MockRecord {
    const { record } = this.persons.create(props, now);
    this.webhooks.emit('create', 'person', record.id, (w) =>
      this.body(w, 'create', record, null, source, now),
    );
    return record;
  }

  update(record: MockRecord, props: Record<string, string>, source: ChangeSource, now: number): MockRecord {
    const before = { ...record.properties };
    const change = this.persons.update(record, props, now);
    // Pipedrive sends `change` only when something changed (one edit, one webhook).
    if (change.changed.length > 0) {
      const previous = previousOf(before, change.changed, this.fields);
      this.webhooks.emit('change', 'person', record.id, (w) =>
        this.body(w, 'change', record, previous, source, now),
      );
    }
    return record;
  }

  delete(id: string, source: ChangeSource, now: number): boolean {
    const record = this.persons.delete(id);
    if (!record) return false;
    const last = toWebhookPerson(record, this.fields, this.settings.userId);
    this.webhooks.emit('delete', 'person', id, (w) => ({
      ...this.body(w, 'delete', record, null, source, now),
      // A delete carries the person as it was in `previous` and no `data` [unverified].
      data: null,
      previous: last,
    }));
    return true;
  }

  /** Upserts by primary email, as the firehose does: the same events as the API would cause. */
  upsertByEmail(email: string, props: Record<string, string>, source: ChangeSource, now: number): MockRecord {
    const existing = this.persons.findBy('email', email);
    return existing ? this.update(existing, props, source, now) : this.create(props, source, now);
  }

  private body(
    webhook: Webhook,
    action: string,
    record: MockRecord,
    previous: Record<string, unknown> | null,
    source: ChangeSource,
    now: number,
  ): PendingBody {
    const { companyId, userId, companyDomain } = this.settings;
    return {
      meta: {
        action,
        entity: 'person',
        entity_id: record.id,
        company_id: String(companyId),
        user_id: String(userId),
        correlation_id: randomUUID(),
        timestamp: new Date(now).toISOString(),
        type: 'general',
        version: '2.0',
        webhook_id: String(webhook.id),
        webhook_owner_id: String(userId),
        host: `${companyDomain}.pipedrive.com`,
        change_source: source,
        is_bulk_edit: false,
        permitted_user_ids: [String(userId)],
      },
      data: toWebhookPerson(record, this.fields, userId),
      previous,
    };
  }
}
