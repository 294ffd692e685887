import { basicHeader } from '../../harness/vendors/pipedrive/auth.js';
import type { PipedriveWebhookBody } from '../../harness/vendors/pipedrive/events.js';
import { DeliveryEngine, type DeliveryFormat } from '../delivery-engine.js';
import type { MockInstance } from '../emulation.js';
import type { DeliveryFaults } from '../faults.js';
import type { GroundTruth } from '../truth.js';
import type { PipedriveMockSettings } from './settings.js';

export interface Webhook {
  id: number;
  subscription_url: string;
  event_action: string;
  event_object: string;
  name: string;
  version: string;
  http_auth_user: string | null;
  http_auth_password: string | null;
  addTime: number;
}

/** An event waiting for delivery: the v2 body without meta.attempt, which is set per attempt. */
export type PendingBody = Omit<PipedriveWebhookBody, 'meta'> & {
  meta: Omit<PipedriveWebhookBody['meta'], 'attempt'>;
};

/** Webhooks v2 on the wire: one event per POST, Basic credentials when the webhook has them. */
export function pipedriveDeliveryFormat(webhook: Webhook): DeliveryFormat<PendingBody> {
  const auth =
    webhook.http_auth_user !== null || webhook.http_auth_password !== null
      ? { authorization: basicHeader(webhook.http_auth_user ?? '', webhook.http_auth_password ?? '') }
      : {};
  return {
    batchMax: 1,
    encode(batch) {
      const item = batch[0];
      if (!item) throw new Error('pipedrive delivers one event per request');
      // attempt is 1-based in v2 (v1's `retry` started at 0).
      const body = { ...item.event, meta: { ...item.event.meta, attempt: item.attempt + 1 } };
      return { body: JSON.stringify(body), headers: { ...auth } };
    },
  };
}

/**
 * The user's webhooks (at most 40) and one delivery engine per webhook: each has its own URL and
 * credentials, and Pipedrive delivers each subscription's events independently.
 */
export class WebhookRegistry {
  private readonly hooks = new Map<number, { webhook: Webhook; engine: DeliveryEngine<PendingBody> }>();
  private nextId = 1_000_001;
  private currentFaults: DeliveryFaults;
  // Engines come and go with webhooks; fault windows still count from the mock's start.
  private readonly startedAt = Date.now();
  /** The shape the shared admin API drives: faults and pending span every webhook's engine. */
  readonly delivery: MockInstance['delivery'];

  constructor(
    private readonly settings: PipedriveMockSettings,
    faults: DeliveryFaults,
    private readonly timeScale: number,
    private readonly truth: GroundTruth,
  ) {
    this.currentFaults = faults;
    const registry = this;
    const hooks = this.hooks;
    this.delivery = {
      get pending(): number {
        let n = 0;
        for (const h of hooks.values()) n += h.engine.pending;
        return n;
      },
      get faults(): DeliveryFaults {
        return registry.currentFaults;
      },
      set faults(value: DeliveryFaults) {
        registry.currentFaults = value;
        for (const h of hooks.values()) h.engine.faults = value;
      },
      stop(): void {
        for (const h of hooks.values()) h.engine.stop();
      },
    };
  }

  get size(): number {
    return this.hooks.size;
  }

  list(): Webhook[] {
    return [...this.hooks.values()].map((h) => h.webhook);
  }

  add(fields: Omit<Webhook, 'id'>): Webhook {
    const webhook: Webhook = { ...fields, id: this.nextId++ };
    const engine = new DeliveryEngine(
      pipedriveDeliveryFormat(webhook),
      {
        concurrency: this.settings.deliveryConcurrency,
        timeoutMs: this.settings.timeoutMs,
        retryDelaysMs: this.settings.retryDelaysMs,
        retryJitter: this.settings.retryJitter,
        timeScale: this.timeScale,
        startedAt: this.startedAt,
      },
      this.currentFaults,
      this.truth,
    );
    engine.targetUrl = webhook.subscription_url;
    this.hooks.set(webhook.id, { webhook, engine });
    return webhook;
  }

  remove(id: number): boolean {
    const hook = this.hooks.get(id);
    if (!hook) return false;
    hook.engine.stop();
    this.hooks.delete(id);
    return true;
  }

  /** Queues one event on every webhook subscribed to it (`*` matches any action or object). */
  emit(action: string, entity: string, objectId: string, build: (webhook: Webhook) => PendingBody): void {
    for (const { webhook, engine } of this.hooks.values()) {
      const actionMatches = webhook.event_action === '*' || webhook.event_action === action;
      const objectMatches = webhook.event_object === '*' || webhook.event_object === entity;
      if (actionMatches && objectMatches) engine.emit(build(webhook), objectId);
    }
  }
}
