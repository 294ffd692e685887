import type { HubspotEvent } from '../../harness/vendors/hubspot/events.js';
import { signHeaders } from '../../harness/vendors/hubspot/signature.js';
import type { DeliveryFormat } from '../delivery-engine.js';
import { type PropertyChange, propertyOf } from '../records.js';
import type { HubspotMockSettings } from './settings.js';

export interface Subscription {
  id: number;
  eventType: string;
  propertyName?: string;
  active: boolean;
}

/** The app's webhook configuration and the events a record change produces under it. */
export class HubspotWebhooks {
  targetUrl: string | undefined;
  maxConcurrentRequests: number;
  readonly subscriptions: Subscription[] = [];
  private nextSubscriptionId = 1;
  private nextEventId = 1;

  constructor(private readonly settings: HubspotMockSettings) {
    this.maxConcurrentRequests = settings.concurrency;
  }

  subscribe(eventType: string, propertyName: string | undefined, active: boolean): Subscription {
    const existing = this.subscriptions.find(
      (s) => s.eventType === eventType && s.propertyName === propertyName,
    );
    if (existing) {
      existing.active = active;
      return existing;
    }
    const sub: Subscription = {
      id: this.nextSubscriptionId++,
      eventType,
      ...(propertyName ? { propertyName } : {}),
      active,
    };
    this.subscriptions.push(sub);
    return sub;
  }

  /** The events HubSpot would send for one change, one per matching active subscription. */
  eventsFor(objectType: string, change: PropertyChange, changeSource: string, now: number): HubspotEvent[] {
    const prefix = eventPrefix(objectType);
    const events: HubspotEvent[] = [];
    for (const sub of this.subscriptions) {
      if (!sub.active) continue;
      if (change.created && sub.eventType === `${prefix}.creation`) {
        events.push(this.event(sub, change, changeSource, now, undefined));
      }
      if (
        sub.eventType === `${prefix}.propertyChange` &&
        sub.propertyName &&
        change.changed.includes(sub.propertyName)
      ) {
        events.push(this.event(sub, change, changeSource, now, sub.propertyName));
      }
    }
    return events;
  }

  deletionEvents(objectType: string, objectId: string, now: number): HubspotEvent[] {
    const type = `${eventPrefix(objectType)}.deletion`;
    return this.subscriptions
      .filter((s) => s.active && s.eventType === type)
      .map((sub) => ({ ...this.baseEvent(sub, objectId, 'CRM', now), changeFlag: 'DELETED' }));
  }

  /**
   * contact.merge as the changelog new-subscription-types-for-webhooks describes it:
   * primaryObjectId, mergedObjectIds, newObjectId, numberOfPropertiesMoved. objectId carries the
   * primary's id as third-party fixtures show (unverified in HubSpot's own docs).
   */
  mergeEvents(
    objectType: string,
    merge: {
      record: { id: string };
      primaryObjectId: string;
      mergedObjectId: string;
      propertiesMoved: number;
    },
    now: number,
  ): HubspotEvent[] {
    const type = `${eventPrefix(objectType)}.merge`;
    return this.subscriptions
      .filter((s) => s.active && s.eventType === type)
      .map((sub) => ({
        ...this.baseEvent(sub, merge.primaryObjectId, 'CRM', now),
        primaryObjectId: Number(merge.primaryObjectId),
        mergedObjectIds: [Number(merge.mergedObjectId)],
        newObjectId: Number(merge.record.id),
        numberOfPropertiesMoved: merge.propertiesMoved,
      }));
  }

  private event(
    sub: Subscription,
    change: PropertyChange,
    changeSource: string,
    now: number,
    propertyName: string | undefined,
  ): HubspotEvent {
    const base = this.baseEvent(sub, change.record.id, changeSource, now);
    if (propertyName === undefined) return { ...base, changeFlag: 'NEW' };
    return { ...base, propertyName, propertyValue: propertyOf(change.record, propertyName) ?? '' };
  }

  private baseEvent(sub: Subscription, objectId: string, changeSource: string, now: number): HubspotEvent {
    return {
      eventId: this.nextEventId++,
      subscriptionId: sub.id,
      portalId: this.settings.portalId,
      appId: this.settings.appId,
      occurredAt: now,
      subscriptionType: sub.eventType,
      attemptNumber: 0,
      objectId: Number(objectId),
      changeSource,
    };
  }
}

/** HubSpot's classic subscription types name the object in the singular: contact, company, deal. */
function eventPrefix(objectType: string): string {
  return objectType === 'contacts' ? 'contact' : objectType === 'companies' ? 'company' : 'deal';
}

/** HubSpot's wire format: a JSON array of up to 100 events, signed as one request. */
export function hubspotDeliveryFormat(
  settings: HubspotMockSettings,
  clientSecret: string,
): DeliveryFormat<HubspotEvent> {
  return {
    batchMax: settings.deliveryBatchMax,
    encode(batch, url, now) {
      const body = JSON.stringify(batch.map((p) => ({ ...p.event, attemptNumber: p.attempt })));
      const signed = signHeaders(clientSecret, settings.signatureVersion, {
        method: 'POST',
        url,
        body,
        timestamp: now,
      });
      return {
        body,
        headers: {
          ...signed,
          'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nio-http-client)',
          'x-hubspot-timeout-millis': String(settings.timeoutMs),
        },
      };
    },
  };
}
