import { randomBytes } from 'node:crypto';
import type { ZohoOperation } from '../../harness/vendors/zoho/fields.js';
import type { DeliveryFaults } from '../faults.js';
import { createLimiter, type RequestLimiter } from '../rate-limiter.js';
import { type MockRecord, RecordStore } from '../records.js';
import type { GroundTruth } from '../truth.js';
import { MODULES, type ModuleRules } from './modules.js';
import { type RecordChange, ZohoChannels } from './notifications.js';
import { ALL_SCOPES, type ZohoMockSettings, zohoCreditLimit } from './settings.js';

export interface AccessToken {
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

/** What one record of a write call came to, before it is shaped into Zoho's answer. */
export type WriteOutcome =
  | {
      readonly ok: true;
      readonly record: MockRecord;
      readonly action: 'insert' | 'update';
      readonly change: RecordChange;
    }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly details: Record<string, unknown>;
    };

/** A deleted record as Zoho's deleted-records list keeps it. */
export interface Tombstone {
  readonly id: string;
  readonly displayName: string;
  readonly deletedAt: number;
}

/** Zoho keeps record times to the second (Modified_Time prints no fraction): the mock's too. */
export function zohoSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

// Zoho record ids are 19-digit longs; these stay below 2^53 so they survive JSON numbers too.
const FIRST_ID = 4_876_876_000_000_000;

/** The state of one emulated Zoho CRM org: records, tokens, limits, channels and delivery. */
export class ZohoMock {
  readonly stores = new Map<string, RecordStore>(
    MODULES.map((m, i) => [m.apiName, new RecordStore(FIRST_ID + i * 100_000_000)]),
  );
  /** Per module, the deleted records, newest last. */
  readonly tombstones = new Map<string, Tombstone[]>(MODULES.map((m) => [m.apiName, []]));
  readonly tokens = new Map<string, AccessToken>();
  /** The org's API credits (settings.rateLimit, by default the rolling 24 h budget). */
  readonly credits: RequestLimiter;
  readonly channels: ZohoChannels;
  inFlight = 0;

  constructor(
    readonly settings: ZohoMockSettings,
    token: string,
    faults: DeliveryFaults,
    timeScale: number,
    readonly truth: GroundTruth,
  ) {
    // The configured token is a long-lived credential with every scope.
    this.tokens.set(token, { scopes: ALL_SCOPES, expiresAt: Number.POSITIVE_INFINITY });
    // Rolling 24 h by default: credits come back as the oldest calls age out of the window.
    this.credits = createLimiter(settings.rateLimit ?? zohoCreditLimit(settings.credits));
    this.channels = new ZohoChannels(settings, faults, timeScale, truth);
  }

  store(module: ModuleRules): RecordStore {
    const store = this.stores.get(module.apiName);
    if (!store) throw new Error(`no store for ${module.apiName}`);
    return store;
  }

  /** accounts.zoho.com's refresh grant: a new access token with the configured scopes and TTL. */
  issueToken(now: number): { token: string; ttlMs: number } {
    const token = `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
    this.tokens.set(token, {
      scopes: this.settings.issuedScopes,
      expiresAt: now + this.settings.accessTokenTtlMs,
    });
    return { token, ttlMs: this.settings.accessTokenTtlMs };
  }

  /** Inserts (or, for upsert, updates by the duplicate-check field) one record. */
  write(
    module: ModuleRules,
    input: Record<string, string>,
    mode: 'insert' | 'upsert',
    index: number,
    now: number,
  ): WriteOutcome {
    const store = this.store(module);
    const key = input[module.duplicateCheck];
    const existing = key === undefined ? undefined : store.findBy(module.duplicateCheck, key);
    if (existing) {
      if (mode === 'insert') {
        return {
          ok: false,
          code: 'DUPLICATE_DATA',
          message: 'duplicate data',
          details: {
            api_name: module.duplicateCheck,
            json_path: `$.data[${index}].${module.duplicateCheck}`,
            duplicate_record: { id: existing.id },
          },
        };
      }
      return {
        ok: true,
        record: existing,
        action: 'update',
        change: this.update(module, existing, input, now),
      };
    }
    if (!input[module.mandatory]) {
      return {
        ok: false,
        code: 'MANDATORY_NOT_FOUND',
        message: 'required field not found',
        details: { api_name: module.mandatory, json_path: `$.data[${index}].${module.mandatory}` },
      };
    }
    const created = store.create(input, now);
    const change = {
      id: created.record.id,
      changed: created.changed,
      values: { ...created.record.properties },
    };
    return { ok: true, record: created.record, action: 'insert', change };
  }

  /** Applies field values to an existing record; Zoho stamps Modified_Time on every edit. */
  update(module: ModuleRules, record: MockRecord, input: Record<string, string>, now: number): RecordChange {
    const change = this.store(module).update(record, input, now);
    record.updatedAt = now;
    return { id: record.id, changed: change.changed, values: pick(record.properties, change.changed) };
  }

  /** Deletes one record (to the recycle bin) and keeps its tombstone; undefined if unknown. */
  remove(module: ModuleRules, id: string, now: number): RecordChange | undefined {
    const record = this.store(module).delete(id);
    if (!record) return undefined;
    const p = record.properties;
    // A contact's display name is its Full_Name; other modules show their name field.
    const displayName = [p.First_Name, p[module.mandatory]].filter(Boolean).join(' ');
    this.tombstones.get(module.apiName)?.push({ id, displayName, deletedAt: now });
    return { id, changed: [], values: {} };
  }

  /** Queues the notifications for one call's successful writes, one per operation. */
  notifyWrites(
    module: ModuleRules,
    baseUrl: string,
    changes: Map<ZohoOperation, RecordChange[]>,
    now: number,
  ): void {
    const resourceUri = `${baseUrl}/crm/v8/${module.apiName}`;
    for (const [operation, list] of changes)
      this.channels.notify(module.apiName, resourceUri, operation, list, now);
  }
}

export function pick(
  values: Readonly<Record<string, string>>,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = values[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** Zoho accepts JSON values of any type; the mock keeps strings, like the canonical model. */
export function stringFields(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof input !== 'object' || input === null) return out;
  for (const [k, v] of Object.entries(input)) {
    if (v === null || v === undefined || typeof v === 'object' || k === 'id') continue;
    out[k] = String(v);
  }
  return out;
}
