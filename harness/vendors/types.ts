/**
 * What poc knows about a vendor, and how it talks to it. The same adapter serves the live
 * sandbox and the embedded mock: only the base URL and the credentials differ.
 */

/** How sure we are of a documented fact (the legend of shared/vendors.md). */
export type Confidence = 'verified' | 'secondary' | 'unverified';

export interface Documented<T> {
  readonly value: T;
  readonly source: string;
  readonly confidence: Confidence;
}

export interface RateLimitFact {
  readonly name: string;
  readonly requests: number;
  readonly windowMs: number;
  readonly scope: string;
}

export interface RetryScheduleFact {
  /** Nominal delay before each retry, in ms; the vendor randomises around it. */
  readonly delaysMs: readonly number[];
  readonly jitter: number;
  readonly timeoutMs: number;
}

/** A vendor-side facility (delivery log, audit log), on the scorecard's 0..3 guide (scorecards/catalog.yaml). */
export interface Facility {
  readonly what: string;
  readonly level: 0 | 1 | 2 | 3;
}

export interface VendorProfile {
  readonly id: string;
  readonly name: string;
  readonly liveBaseUrl: string;
  readonly credentialsEnv: {
    readonly token: string;
    readonly webhookSecret: string;
    readonly baseUrl: string;
  };
  readonly batchMax: Documented<number>;
  /** API calls one batch upsert costs (Pipedrive has no upsert: a search, then a write). 1 when absent. */
  readonly callsPerUpsert?: Documented<number>;
  readonly rateLimits: readonly Documented<RateLimitFact>[];
  /** Whether the vendor merges duplicate records (the loser disappears, merge events go out). */
  readonly mergesRecords?: Documented<boolean>;
  readonly webhooks: {
    readonly scheme: Documented<string>;
    readonly batchMax: Documented<number>;
    readonly concurrency: Documented<number>;
    readonly retry: Documented<RetryScheduleFact>;
    readonly timestampToleranceMs: Documented<number>;
    readonly replay: Documented<'none' | 'replay-id' | 'delta-link'>;
  };
  /** None of them documents W3C trace context on webhooks: that one is measured, not listed. */
  readonly observability: {
    readonly deliveryLog: Documented<Facility>;
    readonly auditLog: Documented<Facility>;
  };
}

/**
 * One record to write. Field names are canonical (`email`, `firstname`, `lastname`, `phone`,
 * `poc_seq`); each adapter maps them to the vendor's own (Salesforce `FirstName`, Zoho
 * `First_Name`...), so scenarios are written once for every vendor.
 */
export interface RecordInput {
  /** The external id the upsert matches on (HubSpot: the email, as `idProperty`). */
  readonly externalId: string;
  readonly fields: Readonly<Record<string, string>>;
}

export interface BatchUpsertResult {
  readonly created: number;
  readonly updated: number;
  readonly errors: number;
}

export type EventAction = 'create' | 'update' | 'delete';

/** What a scenario wants to hear about; each adapter turns it into the vendor's subscriptions. */
export interface SubscriptionRequest {
  /** Canonical object type: contacts, companies or deals. */
  readonly objectType: string;
  readonly actions: readonly EventAction[];
  /** Canonical fields whose changes matter (HubSpot subscribes per property). */
  readonly fields: readonly string[];
}

/** The part of a vendor's public API the scenarios drive. */
export interface CrmApi {
  /** Creates or updates records by external id, at most `profile.batchMax` per call. */
  batchUpsert(objectType: string, inputs: readonly RecordInput[]): Promise<BatchUpsertResult>;
  /** Points the vendor's outbound events at `targetUrl`. */
  configureWebhooks(targetUrl: string, request: SubscriptionRequest): Promise<void>;
  /** Read-only checks of connectivity, credentials and scopes, for `poc doctor`. */
  checkAccess?(): Promise<AccessCheck[]>;
  /**
   * One cheap read, never retried, for rate-limit-probe: says whether the vendor throttled it
   * (in its own way: HubSpot 429, Salesforce 403 REQUEST_LIMIT_EXCEEDED) and what its limit
   * headers claimed.
   */
  probe?(): Promise<ProbeResult>;
  /**
   * One page of every live record, in the vendor's own cursor pagination; the first page when
   * `cursor` is undefined. Reconcile reads the whole snapshot through it.
   */
  listRecords(objectType: string, cursor: string | undefined): Promise<RecordPage>;
  /**
   * One page of the records modified at or after `since` (epoch ms), oldest modification first,
   * through the vendor's modified-since search. `cursor` continues the same query; backfill
   * starts a fresh query from the last timestamp it saw rather than trusting offsets.
   */
  listModifiedSince(objectType: string, since: number, cursor: string | undefined): Promise<RecordPage>;
  /** One page of the records deleted at or after `since`, where the vendor keeps such a list. */
  listDeletedSince?(objectType: string, since: number, cursor: string | undefined): Promise<DeletedPage>;
  /** The vendor's own change feed: Salesforce CDC replay, Dataverse delta links. */
  readonly changeFeed?: ChangeFeed;
}

/** A record as the vendor holds it, in canonical fields (see RecordInput). */
export interface RecordState {
  /** The vendor's record id: the same one its events carry as `objectId`. */
  readonly id: string;
  /** The vendor's last-modified time (epoch ms), the same clock as its events' occurredAt. */
  readonly modifiedAt: number;
  /** Canonical field values; a change feed may carry only the fields that changed. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface RecordPage {
  readonly records: readonly RecordState[];
  /** Absent on the last page. */
  readonly cursor?: string;
}

export interface DeletedRecord {
  readonly id: string;
  readonly deletedAt: number;
}

export interface DeletedPage {
  readonly records: readonly DeletedRecord[];
  readonly cursor?: string;
}

/** One change from a feed: the record's new state (possibly partial), or its deletion. */
export type FeedChange =
  | ({ readonly deleted: false } & RecordState)
  | ({ readonly deleted: true } & DeletedRecord);

export type FeedPage =
  | {
      readonly expired: false;
      readonly changes: readonly FeedChange[];
      /** The position after this page; keep it to resume from. */
      readonly position: string;
      /** Whether another read from `position` has more right away. */
      readonly more: boolean;
    }
  | {
      readonly expired: true;
      /** Why the position cannot be resumed (retention, an expired token), in the vendor's words. */
      readonly detail: string;
    };

/**
 * A feed that hands back every change after a stored position, for as long as the vendor retains
 * it: the recovery a vendor offers when it has one (shared/vendors.md, webhooks.replay).
 */
export interface ChangeFeed {
  readonly kind: 'replay-id' | 'delta-link';
  /** How long the vendor keeps a position resumable (72 h for Salesforce CDC). */
  readonly retentionMs: Documented<number>;
  /**
   * The position now: what a pipeline that read the feed up to this moment would have kept;
   * undefined when the vendor retains nothing to resume from (every event has aged out).
   */
  current(objectType: string): Promise<string | undefined>;
  /** The changes after `position`, one page at a time. */
  read(objectType: string, position: string): Promise<FeedPage>;
}

/** What a vendor's rate-limit headers claimed on one answer; absent fields were not sent. */
export interface AdvertisedLimit {
  readonly limit?: number;
  readonly remaining?: number;
  /** The window length the vendor states (HubSpot's Interval-Milliseconds). */
  readonly windowMs?: number;
  /** Time until the window resets, as stated. */
  readonly resetMs?: number;
  readonly dailyLimit?: number;
  readonly dailyRemaining?: number;
}

export interface ProbeResult {
  readonly status: number;
  readonly throttled: boolean;
  readonly retryAfterMs: number | undefined;
  readonly advertised: AdvertisedLimit;
  /** When the answer arrived (epoch ms). */
  readonly at: number;
}

export interface AccessCheck {
  readonly name: string;
  readonly ok: boolean;
  /** What was found, or what is missing and how to fix it. Never a secret. */
  readonly detail: string;
}

/** A webhook request exactly as it reached the receiver; `body` is the raw bytes. */
export interface RawDelivery {
  readonly method: string;
  /** The URL the vendor posted to, scheme and host included (HubSpot signs it). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export type VerifyFailure =
  | 'missing_signature'
  | 'duplicated_signature'
  | 'bad_signature'
  | 'missing_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'unsupported_version';

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: VerifyFailure };

/** One vendor event, normalised; `key` is the vendor's event identity used for dedupe. */
export interface VendorEvent {
  readonly key: string;
  readonly objectId: string;
  /** Canonical object type (contacts, companies, deals); contacts when absent. */
  readonly objectType?: string;
  /** The vendor's own name for the event (HubSpot `contact.propertyChange`...). */
  readonly type: string;
  /** What it means for a local copy; undefined when poc cannot apply it (it is dead-lettered). */
  readonly action: EventAction | undefined;
  readonly occurredAt: number;
  readonly attempt: number;
  /** Canonical field values the event carries; empty when the vendor sends ids only. */
  readonly fields: Readonly<Record<string, string>>;
}

export class MalformedDeliveryError extends Error {
  override readonly name: string = 'MalformedDeliveryError';
}

/**
 * Thrown by a parser when one delivery carries more events than the vendor ever puts in one
 * (`profile.webhooks.batchMax`); the receiver answers 413. `limit` is that maximum.
 */
export class TooManyEventsError extends MalformedDeliveryError {
  override readonly name: string = 'TooManyEventsError';

  constructor(
    message: string,
    readonly limit: number,
  ) {
    super(message);
  }
}

export interface SignInput {
  readonly method: string;
  readonly url: string;
  readonly body: string | Buffer;
  readonly timestamp: number;
}

/**
 * How a vendor's deliveries prove where they come from, as far as a receiver can check. Most
 * CRMs do not sign at all; signature-check reports that plainly and attacks what there is.
 */
export interface SchemeSecurity {
  /** hmac: a keyed signature; the others are a shared credential sent with every delivery. */
  readonly kind: 'hmac' | 'basic-auth' | 'static-key' | 'echoed-token' | 'org-id';
  /** Changing one byte of the body fails verification. */
  readonly coversBody: boolean;
  /** A timestamp is signed and checked, so a captured delivery cannot be replayed later. */
  readonly coversTimestamp: boolean;
  /** Headers that carry the proof (lower case); empty when it travels in the body. */
  readonly proofHeaders: readonly string[];
}

export interface WebhookScheme {
  readonly security: SchemeSecurity;
  /**
   * The media types the vendor sends deliveries as (lower case, no parameters). The receiver
   * answers 415 to any other, and to a charset other than UTF-8.
   */
  readonly contentTypes: readonly string[];
  /** Checks authenticity over the raw body; never throws on hostile input. */
  verify(delivery: RawDelivery, now: number): VerifyResult;
  /** Parses a verified body into events; throws MalformedDeliveryError naming what is wrong. */
  parse(body: Buffer): VendorEvent[];
  /** The headers the vendor would send (used by the mock, the bench and signature tests). */
  sign(input: SignInput): Record<string, string>;
  /**
   * The body the vendor expects back once a delivery is durable, when it expects more than a
   * 2xx (Salesforce Outbound Messages want a SOAP `<Ack>true</Ack>`). JSON `{accepted, duplicates}`
   * otherwise.
   */
  acknowledge?(): { readonly contentType: string; readonly body: string };
  /** For schemes whose proof is in the body (Zoho's token, Salesforce's org id): the body with `secret` in its place. */
  embed?(body: string, secret: string): string;
}

export interface WebhookSecrets {
  /** Every secret that verifies; two during a rotation window. */
  readonly secrets: readonly string[];
  readonly toleranceMs?: number;
  /** Also accept the vendor's older schemes that carry no timestamp (HubSpot v1/v2). */
  readonly acceptLegacy?: boolean;
}

/**
 * The run's request budget as a vendor client spends it (RequestBudget in
 * harness/pipeline/outbound/budget.ts). Declared here so that vendor modules, which the mock
 * imports too, never import the pipeline.
 */
export interface ApiBudget {
  /** Spends one request; throws POC_ERR_BUDGET_EXHAUSTED before the request is sent when spent. */
  take(operation: string): void;
}

/**
 * The run's client-side rate limiter as a vendor client waits on it (ClientRateLimiter in
 * harness/pipeline/outbound/rate-limit.ts).
 */
export interface ApiRateLimiter {
  /** Resolves when the caller may send one request. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Everyone waits `ms` (the vendor's Retry-After or reset header). */
  pauseFor(ms: number): void;
}

export interface ApiConnection {
  readonly baseUrl: string;
  readonly token: string;
  /**
   * The shared webhook secret, for vendors whose subscription carries it (Pipedrive's Basic
   * password, Zoho's channel token, Dataverse's key); HubSpot signs with the app's secret instead.
   */
  readonly webhookSecret?: string;
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
  readonly onCall?: (call: ApiCallOutcome) => void;
  /** The run's request budget; every attempt spends from it. */
  readonly budget?: ApiBudget;
  /** The run's client-side rate limiter, shared by all its workers. */
  readonly limiter?: ApiRateLimiter;
  /** Vendor-specific settings that are not secrets (HubSpot's app id, say). */
  readonly settings?: Readonly<Record<string, string>>;
}

export interface ApiCallOutcome {
  readonly operation: string;
  readonly status: number;
  readonly retries: number;
  readonly durationMs: number;
}

export interface VendorAdapter {
  readonly profile: VendorProfile;
  api(connection: ApiConnection): CrmApi;
  webhooks(secrets: WebhookSecrets): WebhookScheme;
  /** A fresh webhook secret in the form the vendor issues one (for rotation); random base64url when absent. */
  newSecret?(): string;
}
