import type { HubspotEvent } from '../../harness/vendors/hubspot/events.js';
import { DeliveryEngine } from '../delivery-engine.js';
import type { DeliveryFaults } from '../faults.js';
import type { HubspotMockSettings } from '../profiles/hubspot.js';
import { createLimiter, DailyQuota, type RequestLimiter, RollingWindowLimiter } from '../rate-limiter.js';
import { type MockRecord, RecordStore } from '../records.js';
import type { GroundTruth } from '../truth.js';
import { HubspotWebhooks, hubspotDeliveryFormat } from './webhooks.js';

export const OBJECT_TYPES = ['contacts', 'companies', 'deals'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export interface UpsertInput {
  id?: string;
  idProperty?: string;
  properties?: Record<string, unknown>;
}

export interface UpsertOutcome {
  record: MockRecord;
  created: boolean;
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
    for (const event of this.webhooks.deletionEvents(objectType, id, now)) this.engine.emit(event, id);
    return true;
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
