import { randomUUID } from 'node:crypto';
import type { DeliveryFaults } from '../faults.js';
import { type MockRecord, RecordStore } from '../records.js';
import type { GroundTruth } from '../truth.js';
import type { SavedFilter } from './filters.js';
import { PipedriveLimits } from './limits.js';
import { PersonFieldRegistry } from './person-fields.js';
import { previousOf, toWebhookPerson } from './persons.js';
import type { PipedriveMockSettings } from './settings.js';
import { type PendingBody, type Webhook, WebhookRegistry } from './webhooks.js';

/** Who made a change: `api` for API writes, `app` for changes inside Pipedrive (the firehose). */
export type ChangeSource = 'api' | 'app';

/** The state of one emulated Pipedrive company: persons, fields, limits, webhooks and delivery. */
export class PipedriveMock {
  readonly persons = new RecordStore(1);
  readonly fields: PersonFieldRegistry;
  readonly limits: PipedriveLimits;
  readonly webhooks: WebhookRegistry;
  /** Saved filters (/v1/filters) by id. */
  readonly filters = new Map<number, SavedFilter>();
  nextFilterId = 1;

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

  /**
   * Deletes a person. `mergedToId` marks the delete a merge makes of the losing person: webhooks
   * v2 have no `merged` action, the loser's delete carries `meta.merged_to_id` instead
   * (webhooks-v2-migration-guide, "Critical things to note").
   */
  delete(id: string, source: ChangeSource, now: number, mergedToId?: string): boolean {
    const record = this.persons.delete(id);
    if (!record) return false;
    const last = toWebhookPerson(record, this.fields, this.settings.userId);
    this.webhooks.emit('delete', 'person', id, (w) => {
      const body = this.body(w, 'delete', record, null, source, now);
      return {
        ...body,
        meta: mergedToId === undefined ? body.meta : { ...body.meta, merged_to_id: mergedToId },
        // A delete carries the person as it was in `previous` and no `data` [unverified].
        data: null,
        previous: last,
      };
    });
    return true;
  }

  /**
   * Merges person `loserId` into `winnerId`, as PUT /v1/persons/{loserId}/merge with
   * merge_with_id=winnerId does: the winner keeps every value it has and only takes the loser's
   * values for its empty fields; the loser is removed (pipedrive.readme.io/docs/merging-two-persons).
   * Webhooks v2 send a delete for the loser and a change for the winner (migration guide); the
   * winner changes even when no field is filled, since its related items move to it, so its
   * change always goes out. Returns the winner, or undefined when either person is missing.
   */
  merge(loserId: string, winnerId: string, source: ChangeSource, now: number): MockRecord | undefined {
    const loser = this.persons.get(loserId);
    const winner = this.persons.get(winnerId);
    if (!loser || !winner || loser === winner) return undefined;
    const fill: Record<string, string> = {};
    for (const [prop, value] of Object.entries(loser.properties)) {
      const mine = winner.properties[prop];
      if (value !== '' && (mine === undefined || mine === '' || mine === '[]')) fill[prop] = value;
    }
    // The loser leaves first so its primary email is out of the index when the winner is written.
    this.delete(loserId, source, now, winnerId);
    const before = { ...winner.properties };
    const change = this.persons.update(winner, fill, now);
    winner.updatedAt = now;
    const previous = previousOf(before, change.changed, this.fields);
    this.webhooks.emit('change', 'person', winner.id, (w) =>
      this.body(w, 'change', winner, previous, source, now),
    );
    return winner;
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
