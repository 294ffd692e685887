import type { ZohoNotification } from '../../harness/vendors/zoho/events.js';
import type { ZohoOperation } from '../../harness/vendors/zoho/fields.js';
import { WATCH_EVENT_SUFFIX } from '../../harness/vendors/zoho/fields.js';
import { DeliveryEngine, type DeliveryFormat } from '../delivery-engine.js';
import type { DeliveryFaults } from '../faults.js';
import type { GroundTruth } from '../truth.js';
import type { ZohoMockSettings } from './settings.js';

/** One notification as queued: everything but what the channel adds when it is sent. */
export type PendingNotification = Omit<ZohoNotification, 'channel_id' | 'token' | 'query_params'>;

export interface Channel {
  channel_id: string;
  events: string[];
  notify_url: string;
  token: string | undefined;
  expiresAt: number;
  return_affected_field_values: boolean;
  readonly engine: DeliveryEngine<PendingNotification>;
}

/** One changed record as a notification reports it. */
export interface RecordChange {
  readonly id: string;
  /** API names whose value changed (every set field on insert). */
  readonly changed: readonly string[];
  readonly values: Readonly<Record<string, string>>;
}

/**
 * Zoho's wire format: one POST per notification, which names the ids of one operation and echoes
 * the channel's token. The engine's unit is therefore a whole notification (batchMax 1): a retry
 * resends it with the same server_time, which is what lets a receiver dedupe.
 */
function channelFormat(channelOf: () => Channel): DeliveryFormat<PendingNotification> {
  return {
    batchMax: 1,
    encode(batch, url) {
      const channel = channelOf();
      const first = batch[0];
      if (!first) throw new Error('empty notification batch');
      const query_params = Object.fromEntries(new URL(url).searchParams);
      const body: ZohoNotification = {
        ...first.event,
        query_params,
        channel_id: channel.channel_id,
        ...(channel.token === undefined ? {} : { token: channel.token }),
      };
      if (!channel.return_affected_field_values) delete body.affected_values;
      // Zoho's callbacks carry no signature and no delivery headers beyond the content type.
      return { body: JSON.stringify(body), headers: { 'user-agent': 'ZohoCRM-Notifications (poc mock)' } };
    },
  };
}

/** The org's notification channels and one delivery engine per channel (each has its own URL). */
export class ZohoChannels {
  readonly channels = new Map<string, Channel>();
  /** Every engine ever started, so stop() and pending cover channels disabled mid-delivery. */
  private readonly engines: DeliveryEngine<PendingNotification>[] = [];
  private currentFaults: DeliveryFaults;

  constructor(
    private readonly settings: ZohoMockSettings,
    faults: DeliveryFaults,
    private readonly timeScale: number,
    private readonly truth: GroundTruth,
  ) {
    this.currentFaults = faults;
  }

  get pending(): number {
    return this.engines.reduce((n, e) => n + e.pending, 0);
  }

  get faults(): DeliveryFaults {
    return this.currentFaults;
  }

  set faults(faults: DeliveryFaults) {
    this.currentFaults = faults;
    for (const engine of this.engines) engine.faults = faults;
  }

  stop(): void {
    for (const engine of this.engines) engine.stop();
  }

  /** Creates or replaces a channel; the engine survives a replace so queued notifications still go. */
  upsert(spec: Omit<Channel, 'engine'>): Channel {
    const existing = this.channels.get(spec.channel_id);
    if (existing) {
      Object.assign(existing, spec);
      existing.engine.targetUrl = spec.notify_url;
      return existing;
    }
    let channel: Channel | undefined;
    const engine = new DeliveryEngine<PendingNotification>(
      channelFormat(() => channel as Channel),
      {
        concurrency: this.settings.deliveryConcurrency,
        timeoutMs: this.settings.timeoutMs,
        retryDelaysMs: this.settings.retryDelaysMs,
        retryJitter: this.settings.retryJitter,
        timeScale: this.timeScale,
      },
      this.currentFaults,
      this.truth,
    );
    channel = { ...spec, engine };
    engine.targetUrl = spec.notify_url;
    this.engines.push(engine);
    this.channels.set(channel.channel_id, channel);
    return channel;
  }

  disable(channelId: string): boolean {
    return this.channels.delete(channelId);
  }

  /**
   * Queues the notifications one call's changes cause: per live channel watching this operation,
   * the ids in chunks of at most notificationIdsMax, all with the call's server_time.
   */
  notify(
    module: string,
    resourceUri: string,
    operation: ZohoOperation,
    changes: readonly RecordChange[],
    now: number,
  ): void {
    if (changes.length === 0) return;
    const records = coalesce(changes);
    const wanted = [`${module}.all`, `${module}.${WATCH_EVENT_SUFFIX[operation]}`];
    const max = this.settings.notificationIdsMax;
    for (const channel of this.channels.values()) {
      if (channel.expiresAt <= now || !channel.events.some((e) => wanted.includes(e))) continue;
      for (let start = 0; start < records.length; start += max) {
        const chunk = records.slice(start, start + max);
        const notification: PendingNotification = {
          server_time: now,
          module,
          resource_uri: resourceUri,
          ids: chunk.map((c) => c.id),
          affected_fields: operation === 'update' ? chunk.map((c) => ({ [c.id]: [...c.changed] })) : [],
          // A deleted record has no values left to report.
          affected_values:
            operation === 'delete' ? [] : chunk.map((c) => ({ record_id: c.id, values: { ...c.values } })),
          operation,
        };
        // Ground truth counts notifications for Zoho: that is the unit delivered and retried.
        channel.engine.emit(notification, channel.channel_id);
      }
    }
  }
}

/**
 * A record written twice in one call is named once in its notification, with every field that
 * changed and the last values: ids are unique within a notification, and receivers rely on it.
 */
export function coalesce(changes: readonly RecordChange[]): RecordChange[] {
  const byId = new Map<string, { changed: Set<string>; values: Record<string, string> }>();
  for (const c of changes) {
    const seen = byId.get(c.id);
    if (!seen) {
      byId.set(c.id, { changed: new Set(c.changed), values: { ...c.values } });
      continue;
    }
    for (const name of c.changed) seen.changed.add(name);
    Object.assign(seen.values, c.values);
  }
  return [...byId].map(([id, c]) => ({ id, changed: [...c.changed], values: c.values }));
}
