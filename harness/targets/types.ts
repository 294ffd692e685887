import type { RecordInput, VendorAdapter } from '../vendors/types.js';

/** Faults and the firehose: what a scenario may ask of the mock. Never its ground truth. */
export interface MockAdmin {
  setFaults(spec: readonly string[]): Promise<void>;
  /** Fault windows (outage=30s@10s) count from now on, not from the mock's start. */
  startFaultClock(): Promise<void>;
  /** Changes made inside the vendor, past the API's limits; they emit the same events. */
  firehose(objectType: string, inputs: readonly RecordInput[]): Promise<void>;
}

/** Where a run points: the embedded mock or the vendor's live sandbox, through the same adapter. */
export interface Target {
  readonly kind: 'mock' | 'live';
  readonly vendor: VendorAdapter;
  readonly baseUrl: string;
  /** Never logged, printed or stored. */
  readonly credentials: { readonly token: string; readonly webhookSecret: string };
  readonly settings: Readonly<Record<string, string>>;
  readonly admin?: MockAdmin;
  /** One line for summaries: "mock (hubspot profile)" or "live (https://api.hubapi.com)". */
  describe(): string;
  stop(): Promise<void>;
}
