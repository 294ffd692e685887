import type { FastifyInstance } from 'fastify';
import type { FaultKind, FaultResponse } from './api-faults.js';
import type { DeliveryFaults } from './faults.js';
import type { GroundTruth } from './truth.js';

/** A change made inside the vendor, in poc's canonical fields (see harness/vendors/types.ts). */
export interface CanonicalInput {
  readonly externalId: string;
  readonly fields: Readonly<Record<string, string>>;
  /** Deletes the record with this external id (fields are ignored); unknown ids are skipped. */
  readonly deleted?: boolean;
  /**
   * Merges this record into the one with that external id, where the vendor has merges: the
   * winner keeps its values, this one disappears, and the vendor's merge events go out.
   */
  readonly mergeInto?: string;
}

export interface EmulationOptions {
  /** The API credential the mock accepts (bearer token, api_token, Zoho-oauthtoken...). */
  readonly token: string;
  /** The webhook secret: signing key, Basic password, echoed token or static key, per vendor. */
  readonly webhookSecret: string;
  readonly faults: DeliveryFaults;
  readonly timeScale: number;
  readonly truth: GroundTruth;
  /** Ground-truth overrides (limits, delivery policy) from tests or POC_MOCK_SETTINGS. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** What the shared admin API needs from a running vendor emulation. */
export interface MockInstance {
  readonly delivery: {
    readonly pending: number;
    faults: DeliveryFaults;
    stop(): void;
  };
  /**
   * Applies changes as the vendor's own UI or imports would: no auth, no limits, same events.
   * `now` is when the changes happened by the vendor's clock (it may lie in the past: a history
   * replayed in simulated time); records' modified times and events' occurredAt take it.
   */
  firehose(objectType: string, inputs: readonly CanonicalInput[], now: number): void;
  /** Whether this vendor merges records (firehose inputs with mergeInto). */
  readonly supportsMerge?: boolean;
  readonly objectTypes: readonly string[];
  /** The vendor's own answer to an injected API fault; a generic JSON error when absent. */
  faultResponse?(kind: FaultKind): FaultResponse;
}

/**
 * One emulated vendor: registers its public API on the app (auth, limits, records, webhook
 * configuration) and returns the instance the admin API drives. Each lives in mock-vendor/<id>/
 * (index.ts, its ground truth in settings.ts) and is listed in mock-vendor/emulations.ts.
 */
export interface VendorEmulation {
  readonly id: string;
  create(app: FastifyInstance, options: EmulationOptions): MockInstance;
}
