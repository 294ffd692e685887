import type { RecordInput, VendorAdapter } from '../vendors/types.js';

/** A change made inside the vendor: an upsert by external id, a delete, or a merge. */
export interface FirehoseInput extends RecordInput {
  readonly deleted?: boolean;
  /** Merge into the record with this external id (vendors with merges only). */
  readonly mergeInto?: string;
}

/** Faults and the firehose: what a scenario may ask of the mock. Never its ground truth. */
export interface MockAdmin {
  setFaults(spec: readonly string[]): Promise<void>;
  /** Fault windows (outage=30s@10s) count from now on, not from the mock's start. */
  startFaultClock(): Promise<void>;
  /**
   * Changes made inside the vendor, past the API's limits; they emit the same events. `at`
   * backdates them (epoch ms, not in the future): a history in simulated time.
   */
  firehose(objectType: string, inputs: readonly FirehoseInput[], at?: number): Promise<void>;
}

/** Where a run points: the embedded mock or the vendor's live sandbox, through the same adapter. */
export interface Target {
  readonly kind: 'mock' | 'live';
  readonly vendor: VendorAdapter;
  readonly baseUrl: string;
  /** Never logged, printed or stored. */
  readonly credentials: { readonly token: string; readonly webhookSecret: string };
  readonly settings: Readonly<Record<string, string>>;
  /**
   * How many times faster than the wall clock the vendor's retry schedule runs: the mock's
   * --time-scale, 1 for a live vendor. Scenarios simulating hours of vendor time scale by it.
   */
  readonly timeScale: number;
  readonly admin?: MockAdmin;
  /** One line for summaries: "mock (hubspot emulation)" or "live (https://api.hubapi.com)". */
  describe(): string;
  stop(): Promise<void>;
}
