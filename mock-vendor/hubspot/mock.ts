import type { HubspotEvent } from '../../harness/vendors/hubspot/events.js';
import { DeliveryEngine } from '../delivery-engine.js';
import type { DeliveryFaults } from '../faults.js';
import { createLimiter, DailyQuota, type RequestLimiter, RollingWindowLimiter } from '../rate-limiter.js';
import { type MockRecord, RecordStore } from '../records.js';
import type { GroundTruth } from '../truth.js';
import type { HubspotMockSettings } from './settings.js';
import { HubspotWebhooks, hubspotDeliveryFormat } from './webhooks.js';

export const OBJECT_TYPES = ['contacts', 'companies', 'deals'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** Whether HubSpot's portal (as the mock emulates it) has objects of this type. */
export function isObjectType(name: string): name is ObjectType {
  return (OBJECT_TYPES as readonly string[]).includes(name);
}

export interface UpsertInput {
  id?: string;
  idProperty?: string;
  properties?: Record<string, unknown>;
}

export interface UpsertOutcome {
  record: MockRecord;
  created: boolean;
}

/** An archived record as `GET /crm/v3/objects/{type}?archived=true` lists it. */
export interface ArchivedRecord {
  readonly record: MockRecord;
  readonly archivedAt: number;
}

/** The record a merge made, and the ids it took the place of. */
export interface MergeOutcome {
  readonly record: MockRecord;
  readonly primaryObjectId: string;
  readonly mergedObjectId: string;
  readonly propertiesMoved: number;
}

/** The state of one emulated HubSpot portal: records, limits, webhook settings and delivery. */
export class HubspotMock {
  readonly records = new Map<ObjectType, RecordStore>(
    OBJECT_TYPES.map((t, i) => [t, new RecordStore(1001 + i * 10_000_000)]),
  );
  readonly webhooks: HubspotWebhooks;
  readonly engine: DeliveryEngine<HubspotEvent>;
  readonly limiter: RequestLimiter;
  readonly searchLimiter: RollingWindowLimiter;
  readonly daily: DailyQuota;
  /** Archived records per type, by id; HubSpot keeps them restorable for a while (settings). */
  private readonly archived = new Map<ObjectType, Map<string, ArchivedRecord>>(
    OBJECT_TYPES.map((t) => [t, new Map()]),
  );
  /** Ids that a merge replaced, pointing at the record that now answers for them. */
  private readonly aliases = new Map<ObjectType, Map<string, string>>(
    OBJECT_TYPES.map((t) => [t, new Map()]),
  );

  constructor(
    readonly settings: HubspotMockSettings,
    readonly credentials: { token: string; clientSecret: string },
    faults: DeliveryFaults,
    timeScale: number,
    readonly truth: GroundTruth,
  ) {
    this.webhooks = new HubspotWebhooks(settings);
    this.limiter = createLimiter(
      settings.rateLimit ?? { style: 'sliding', limit: settings.tenSecondlyLimit, windowMs: 10_000 },
    );
    this.searchLimiter = new RollingWindowLimiter(settings.searchPerSecond, 1000, 10);
    this.daily = new DailyQuota(settings.dailyLimit);
    this.engine = new DeliveryEngine(
      hubspotDeliveryFormat(settings, credentials.clientSecret),
      {
        concurrency: settings.concurrency,
        timeoutMs: settings.timeoutMs,
        retryDelaysMs: settings.retryDelaysMs,
        retryJitter: settings.retryJitter,
        timeScale,
      },
      faults,
      truth,
    );
  }

  store(objectType: ObjectType): RecordStore {
    const store = this.records.get(objectType);
    if (!store) throw new Error(`no store for ${objectType}`);
    return store;
  }

  /** Applies one upsert and emits the events it causes, exactly as an API write would. */
  upsert(objectType: ObjectType, input: UpsertInput, changeSource: string, now: number): UpsertOutcome {
    const store = this.store(objectType);
    const properties = stringProps(input.properties);
    const idProperty = input.idProperty ?? 'hs_object_id';
    const existing = input.id === undefined ? undefined : store.findBy(idProperty, input.id);
    const change = existing
      ? store.update(existing, properties, now)
      : store.create(
          idProperty === 'hs_object_id' || input.id === undefined
            ? properties
            : { ...properties, [idProperty]: input.id },
          now,
        );
    this.emit(objectType, change, changeSource, now);
    return { record: change.record, created: change.created };
  }

  update(
    objectType: ObjectType,
    record: MockRecord,
    properties: Record<string, unknown>,
    now: number,
  ): MockRecord {
    const change = this.store(objectType).update(record, stringProps(properties), now);
    this.emit(objectType, change, 'API', now);
    return record;
  }

  create(objectType: ObjectType, properties: Record<string, unknown>, now: number): MockRecord {
    const change = this.store(objectType).create(stringProps(properties), now);
    this.emit(objectType, change, 'API', now);
    return change.record;
  }

  archive(objectType: ObjectType, id: string, now: number): boolean {
    const removed = this.store(objectType).delete(id);
    if (!removed) return false;
    this.archivedOf(objectType).set(id, { record: removed, archivedAt: now });
    for (const event of this.webhooks.deletionEvents(objectType, id, now)) this.engine.emit(event, id);
    return true;
  }

  /**
   * Archived records in id order after `afterId`, as the archived list pages them. Those archived
   * longer ago than the retention (by the wall clock) are gone for good.
   */
  listArchived(objectType: ObjectType, afterId: number, limit: number): ArchivedRecord[] {
    const archived = this.archivedOf(objectType);
    const horizon = Date.now() - this.settings.archivedRetentionMs;
    for (const [id, a] of archived) if (a.archivedAt < horizon) archived.delete(id);
    return [...archived.values()]
      .filter((a) => Number(a.record.id) > afterId)
      .sort((a, b) => Number(a.record.id) - Number(b.record.id))
      .slice(0, limit);
  }

  /** The live record an id stands for, following the ids that merges replaced. */
  resolve(objectType: ObjectType, id: string): MockRecord | undefined {
    const store = this.store(objectType);
    return store.get(id) ?? store.get(this.aliasesOf(objectType).get(id) ?? '');
  }

  /**
   * HubSpot's merge of contacts and companies (developers.hubspot.com/changelog/
   * updated-merge-functionality-for-contacts-and-companies): a NEW record with a new id takes
   * both places; the primary's values are current and the other's fill what the primary lacks;
   * both old ids keep answering with the new record. contact.merge goes out, then the new
   * record's creation and propertyChange events, as for any new record (unverified: without
   * them a subscriber cannot know the new record's values without reading it).
   */
  merge(objectType: ObjectType, primaryId: string, mergedId: string, now: number): MergeOutcome | undefined {
    const store = this.store(objectType);
    const primary = this.resolve(objectType, primaryId);
    const merged = this.resolve(objectType, mergedId);
    if (!primary || !merged || primary === merged) return undefined;
    store.delete(primary.id);
    store.delete(merged.id);
    const moved = Object.keys(merged.properties).filter((p) => primary.properties[p] === undefined);
    const { record } = store.create({ ...merged.properties, ...primary.properties }, now);
    const aliases = this.aliasesOf(objectType);
    for (const [old, target] of aliases) {
      if (target === primary.id || target === merged.id) aliases.set(old, record.id);
    }
    aliases.set(primary.id, record.id);
    aliases.set(merged.id, record.id);
    const outcome = {
      record,
      primaryObjectId: primary.id,
      mergedObjectId: merged.id,
      propertiesMoved: moved.length,
    };
    for (const event of this.webhooks.mergeEvents(objectType, outcome, now))
      this.engine.emit(event, record.id);
    this.emit(objectType, { record, created: true, changed: Object.keys(record.properties) }, 'MERGE', now);
    return outcome;
  }

  private archivedOf(objectType: ObjectType): Map<string, ArchivedRecord> {
    const archived = this.archived.get(objectType);
    if (!archived) throw new Error(`no archive for ${objectType}`);
    return archived;
  }

  private aliasesOf(objectType: ObjectType): Map<string, string> {
    const aliases = this.aliases.get(objectType);
    if (!aliases) throw new Error(`no aliases for ${objectType}`);
    return aliases;
  }

  private emit(
    objectType: ObjectType,
    change: Parameters<HubspotWebhooks['eventsFor']>[1],
    source: string,
    now: number,
  ) {
    for (const event of this.webhooks.eventsFor(objectType, change, source, now)) {
      this.engine.emit(event, change.record.id);
    }
  }
}

function stringProps(props: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v : String(v);
  }
  return out;
}
