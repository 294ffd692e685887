import { randomBytes, randomUUID } from 'node:crypto';
import { secretKey, signedHeaders } from '../../harness/vendors/standard/signature.js';
import { DeliveryEngine, type DeliveryFormat } from '../delivery-engine.js';
import type { DeliveryFaults } from '../faults.js';
import type { GroundTruth } from '../truth.js';
import type { StandardMockSettings } from './settings.js';

/** One message: its id (the `webhook-id`, stable across retries) and its body, fixed at emit. */
export interface StandardMessage {
  readonly id: string;
  readonly body: string;
}

export interface WebhookEndpoint {
  readonly id: string;
  url: string;
  events: string[];
  disabled: boolean;
  disabledReason: 'gone' | 'manual' | undefined;
  readonly createdAt: number;
  /** The key it signs with now, first, then keys replaced by a rotation until they expire. */
  keys: { readonly key: Buffer; readonly until: number }[];
  readonly engine: DeliveryEngine<StandardMessage>;
}

export function toEndpointJson(e: WebhookEndpoint) {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    disabled: e.disabled,
    ...(e.disabledReason ? { disabled_reason: e.disabledReason } : {}),
    created_at: new Date(e.createdAt).toISOString(),
  };
}

const USER_AGENT = 'poc-standard-crm/1.0 (Standard Webhooks 1.0.0)';

/**
 * The account's webhook endpoints, each with its own secret and its own delivery engine (the
 * spec recommends fan-out to several endpoints and a key per endpoint). Together they are the
 * `delivery` the shared admin API drives: faults apply to every endpoint, pending is the sum.
 *
 * Known gaps against the spec's sender guidance, because the shared DeliveryEngine owns the
 * HTTP call: redirects are followed (fetch's default) instead of counted as failures, and 429,
 * 502, 504 and Retry-After from the receiver do not slow the schedule; they are plain failures.
 */
export class WebhookEndpoints {
  private readonly byId = new Map<string, WebhookEndpoint>();
  private currentFaults: DeliveryFaults;
  private readonly startedAt = Date.now();

  constructor(
    private readonly settings: StandardMockSettings,
    faults: DeliveryFaults,
    private readonly timeScale: number,
    private readonly truth: GroundTruth,
  ) {
    this.currentFaults = faults;
  }

  get faults(): DeliveryFaults {
    return this.currentFaults;
  }

  set faults(faults: DeliveryFaults) {
    this.currentFaults = faults;
    for (const e of this.byId.values()) e.engine.faults = faults;
  }

  /** Messages not yet acknowledged, disabled endpoints' held messages included. */
  get pending(): number {
    let n = 0;
    for (const e of this.byId.values()) n += e.engine.pending;
    return n;
  }

  list(): WebhookEndpoint[] {
    return [...this.byId.values()];
  }

  get(id: string): WebhookEndpoint | undefined {
    return this.byId.get(id);
  }

  /** `secret` is the `whsec_` secret the endpoint signs with (already validated). */
  create(url: string, events: string[], secret: string, now: number): WebhookEndpoint {
    // Fault windows (outages) count from the mock's start, not from this endpoint's creation.
    const policy = {
      concurrency: this.settings.concurrency,
      timeoutMs: this.settings.timeoutMs,
      retryDelaysMs: this.settings.retryDelaysMs,
      retryJitter: this.settings.retryJitter,
      timeScale: this.timeScale,
      startedAt: this.startedAt,
    };
    const engine = new DeliveryEngine<StandardMessage>(
      this.format(() => endpoint),
      policy,
      this.currentFaults,
      this.truth,
    );
    const endpoint: WebhookEndpoint = {
      id: `ep_${randomBytes(12).toString('base64url')}`,
      url,
      events,
      disabled: false,
      disabledReason: undefined,
      createdAt: now,
      keys: [{ key: secretKey(secret), until: Number.POSITIVE_INFINITY }],
      engine,
    };
    engine.targetUrl = url;
    this.byId.set(endpoint.id, endpoint);
    return endpoint;
  }

  update(endpoint: WebhookEndpoint, change: { url?: string; events?: string[]; disabled?: boolean }): void {
    if (change.url !== undefined) endpoint.url = change.url;
    if (change.events !== undefined) endpoint.events = change.events;
    if (change.disabled === true) this.disable(endpoint, 'manual');
    if (change.disabled === false) {
      endpoint.disabled = false;
      endpoint.disabledReason = undefined;
    }
    // A disabled endpoint's engine has no target: it holds its messages. Once re-enabled, the
    // engine sends them as soon as it is next woken (a new message or a retry coming due).
    endpoint.engine.targetUrl = endpoint.disabled ? undefined : endpoint.url;
  }

  /**
   * Zero-downtime rotation as the spec describes it: the new key signs first, and the old one
   * keeps signing too (a second `v1,` entry) for `rotationOverlapMs`, so receivers can switch.
   */
  rotate(endpoint: WebhookEndpoint, secret: string, now: number): void {
    const [current, ...older] = endpoint.keys.filter((k) => k.until > now);
    endpoint.keys = [
      { key: secretKey(secret), until: Number.POSITIVE_INFINITY },
      ...(current ? [{ key: current.key, until: now + this.settings.rotationOverlapMs }] : []),
      ...older,
    ];
  }

  /** Deleting an endpoint abandons what it still had to deliver, as the customer asked. */
  delete(id: string): boolean {
    const endpoint = this.byId.get(id);
    if (!endpoint) return false;
    endpoint.engine.stop();
    this.byId.delete(id);
    return true;
  }

  /** Sends one message to every enabled endpoint subscribed to its type. */
  publish(type: string, payload: unknown, objectId: string): void {
    let message: StandardMessage | undefined;
    for (const endpoint of this.byId.values()) {
      if (endpoint.disabled || !endpoint.events.includes(type)) continue;
      // One id per event, the same on every endpoint and every retry.
      message ??= { id: `msg_${randomUUID().replaceAll('-', '')}`, body: JSON.stringify(payload) };
      endpoint.engine.emit(message, objectId);
    }
  }

  stop(): void {
    for (const e of this.byId.values()) e.engine.stop();
  }

  private disable(endpoint: WebhookEndpoint, reason: 'gone' | 'manual'): void {
    endpoint.disabled = true;
    endpoint.disabledReason = reason;
    endpoint.engine.targetUrl = undefined;
  }

  /** The wire format: one message per POST, signed per the spec with the endpoint's live keys. */
  private format(endpoint: () => WebhookEndpoint): DeliveryFormat<StandardMessage> {
    return {
      batchMax: 1,
      // 410 Gone: "the sender should disable the webhook endpoint, and stop sending it messages".
      // The engine still schedules the retry; with no target it is held, not sent.
      accepted: (status) => {
        if (status === 410 && this.settings.disableOnGone) this.disable(endpoint(), 'gone');
        return status >= 200 && status < 300;
      },
      encode(batch, _url, now) {
        const message = batch[0]?.event;
        if (!message) throw new Error('empty delivery batch');
        const keys = endpoint()
          .keys.filter((k) => k.until > now)
          .map((k) => k.key);
        const timestampS = Math.floor(now / 1000);
        return {
          body: message.body,
          headers: {
            ...signedHeaders(keys, { id: message.id, timestampS, body: message.body }),
            'user-agent': USER_AGENT,
          },
        };
      },
    };
  }
}
