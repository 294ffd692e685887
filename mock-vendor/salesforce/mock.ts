import { DeliveryEngine } from '../delivery-engine.js';
import type { DeliveryFaults } from '../faults.js';
import { createLimiter, type RequestLimiter } from '../rate-limiter.js';
import { type MockRecord, type PropertyChange, RecordStore } from '../records.js';
import type { GroundTruth } from '../truth.js';
import { AccountStore } from './accounts.js';
import { ChangeLog } from './cdc/change-log.js';
import { missingRequired, sfDateTime, type Tombstone } from './contact-schema.js';
import { missingFields } from './errors.js';
import { KEY_PREFIX, salesforceId, sequenceOf } from './ids.js';
import { type OutboundDefinition, type OutboundEvent, outboundDeliveryFormat } from './outbound.js';
import { SessionStore } from './sessions.js';
import type { SalesforceMockSettings } from './settings.js';

const DAY_MS = 86_400_000;
/**
 * Deleted records stay in the Recycle Bin, and in queryAll and sObject Get Deleted, for 15 days
 * ("Results are returned for no more than 15 days previous to the day the call is executed",
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/resources_getdeleted.htm).
 */
export const RECYCLE_BIN_MS = 15 * DAY_MS;

export type SaveOutcome =
  | { readonly ok: true; readonly id: string; readonly created: boolean }
  | { readonly ok: false; readonly errorCode: string; readonly message: string; readonly fields: string[] };

/**
 * The state of one emulated org: Contacts (and the Accounts they belong to), the API allocation,
 * sessions and Outbound Messages.
 */
export class SalesforceMock {
  readonly contacts = new RecordStore(1);
  readonly accounts = new AccountStore();
  /** The Recycle Bin, oldest deletion first. */
  private readonly recycleBin = new Map<string, Tombstone>();
  /**
   * The org's API request allocation: a rolling 24 h counter unless a test sets
   * `settings.rateLimit` (any style, limit and window) to make it measurable in seconds.
   */
  readonly allocation: RequestLimiter;
  readonly sessions: SessionStore;
  readonly engine: DeliveryEngine<OutboundEvent>;
  /** Change Data Capture for Contact, replayable for the retention period. */
  readonly changes: ChangeLog;
  readonly organizationId: string;
  readonly startedAt = Date.now();
  /** The one Outbound Message definition (the engine has one endpoint); redefining replaces it. */
  outbound: OutboundDefinition | undefined;
  /** The mock's own origin as clients reach it (learnt from the first request; it is instance_url). */
  instanceUrl = 'http://127.0.0.1';
  private nextNotification = 1;
  private nextAction = 1;

  constructor(
    readonly settings: SalesforceMockSettings,
    readonly credentials: { readonly token: string; readonly webhookSecret: string },
    faults: DeliveryFaults,
    timeScale: number,
    readonly truth: GroundTruth,
  ) {
    // The receiver is told the webhook secret; Outbound Messages carry the org id instead, so
    // unless a test pins an org id the mock org takes the secret as its id.
    this.organizationId = settings.organizationId || credentials.webhookSecret;
    this.allocation = createLimiter(
      settings.rateLimit ?? { style: 'sliding', limit: settings.apiAllocation, windowMs: DAY_MS },
    );
    this.sessions = new SessionStore(settings.sessionTimeoutMs, credentials.token);
    this.changes = new ChangeLog({
      retentionMs: settings.cdcRetentionMs,
      maxEvents: settings.cdcMaxEvents,
      commitUser: salesforceId(KEY_PREFIX.User, 1),
    });
    this.engine = new DeliveryEngine(
      outboundDeliveryFormat(this),
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

  get apiVersion(): string {
    return this.settings.apiVersions.at(-1) ?? '66.0';
  }

  /** Requests counted against the allocation, as Sforce-Limit-Info and /limits report them. */
  apiUsage(now: number): { used: number; limit: number } {
    const limit = this.allocation.limit;
    return { used: limit - this.allocation.remaining(now), limit };
  }

  idOf(record: MockRecord): string {
    return salesforceId(KEY_PREFIX.Contact, Number(record.id));
  }

  findById(id: string): MockRecord | undefined {
    const sequence = sequenceOf(KEY_PREFIX.Contact, id);
    return sequence === undefined ? undefined : this.contacts.get(String(sequence));
  }

  findBy(field: string, value: string): MockRecord | undefined {
    return field === 'Id' ? this.findById(value) : this.contacts.findBy(field, value);
  }

  /**
   * Saves made through the API run as the integration user and need its object permission;
   * `asOrg` is the org's own automation and imports, which run as someone else.
   */
  create(values: Readonly<Record<string, string | null>>, now: number, asOrg = false): SaveOutcome {
    const refused = asOrg ? undefined : this.refuse('create');
    if (refused) return refused;
    const extId = values.Poc_Ext_Id__c;
    const clash = extId ? this.contacts.findBy('Poc_Ext_Id__c', extId) : undefined;
    if (clash) {
      return {
        ok: false,
        errorCode: 'DUPLICATE_VALUE',
        message: `duplicate value found: Poc_Ext_Id__c duplicates value on record with id: ${this.idOf(clash)}`,
        fields: ['Poc_Ext_Id__c'],
      };
    }
    const missing = missingRequired(values);
    if (missing.length > 0) {
      return missingFields(missing);
    }
    const dangling = this.accounts.referenceProblem(values.AccountId);
    if (dangling) return dangling;
    const change = this.contacts.create(present(values), now);
    this.saved(change, now);
    return { ok: true, id: this.idOf(change.record), created: true };
  }

  update(
    record: MockRecord,
    values: Readonly<Record<string, string | null>>,
    now: number,
    asOrg = false,
  ): SaveOutcome {
    const refused = asOrg ? undefined : this.refuse('edit');
    if (refused) return refused;
    if (values.LastName === null || values.LastName === '') {
      return missingFields(['LastName']);
    }
    const dangling = this.accounts.referenceProblem(values.AccountId);
    if (dangling) return dangling;
    // A cleared field is kept as '' (RecordStore has no removal) and read back as null.
    const change = this.contacts.update(record, cleared(values), now);
    // Salesforce stamps every save, even one that changes nothing, and runs its automation.
    record.updatedAt = now;
    this.saved(change, now);
    return { ok: true, id: this.idOf(record), created: false };
  }

  upsert(
    field: string,
    value: string,
    values: Readonly<Record<string, string | null>>,
    now: number,
    asOrg = false,
  ): SaveOutcome {
    const existing = this.findBy(field, value);
    return existing
      ? this.update(existing, values, now, asOrg)
      : this.create({ ...values, [field]: value }, now, asOrg);
  }

  /** The refusal of a save the integration user lacks the object permission for [unverified code]. */
  private refuse(permission: 'create' | 'edit'): SaveOutcome | undefined {
    if (this.settings.contactPermissions[permission]) return undefined;
    return {
      ok: false,
      errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
      message: `insufficient access rights: the user has no ${permission === 'create' ? 'Create' : 'Edit'} permission on Contact`,
      fields: [],
    };
  }

  /**
   * A delete goes to the Recycle Bin and to Change Data Capture, and sends NO Outbound Message:
   * workflow rules (and so their outbound message actions) are evaluated only when a record is
   * created or edited, never when it is deleted (evaluation criteria "created", "created, and
   * every time it's edited", "created, and any time it's edited to subsequently meet criteria";
   * secondary: http://biswajeetsamal.com/blog/salesforce-workflow-rule-evaluation-criteria/).
   */
  delete(record: MockRecord, now: number, masterRecordId?: string): void {
    this.contacts.delete(record.id);
    const id = this.idOf(record);
    this.recycleBin.set(id, {
      ...record,
      properties: { ...record.properties },
      deletedAt: now,
      masterRecordId,
    });
    this.changes.publish('DELETE', id, {}, [], now);
  }

  /**
   * Merge, as the SOAP merge() call or the UI does it: the loser is deleted with MasterRecordId set
   * to the winner, then the winner is saved and keeps its own values. "Merge events do not fire
   * their own trigger events. Instead, they fire delete and update events" (delete of the loser
   * first, then the update of the winner:
   * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_triggers_merge_statements.htm),
   * so CDC publishes DELETE for the loser and UPDATE for the winner. That the winner's save also
   * runs the workflow rule and sends its Outbound Message is [unverified].
   */
  merge(loser: MockRecord, winner: MockRecord, now: number): void {
    this.delete(loser, now, this.idOf(winner));
    winner.updatedAt = now;
    this.saved({ record: winner, created: false, changed: [] }, now, /* stamped */ true);
  }

  /** The Recycle Bin's records deleted at or after `since`, oldest first; older ones are purged. */
  deletedSince(since: number, now: number): Tombstone[] {
    for (const [id, t] of this.recycleBin) if (now - t.deletedAt > RECYCLE_BIN_MS) this.recycleBin.delete(id);
    const out = [...this.recycleBin.values()].filter((t) => t.deletedAt >= since);
    // Backdated histories may delete out of order: keep the bin in deletion order for readers.
    return out.sort((a, b) => a.deletedAt - b.deletedAt);
  }

  define(definition: Omit<OutboundDefinition, 'actionId'>): OutboundDefinition {
    const actionId =
      this.outbound?.name === definition.name
        ? this.outbound.actionId
        : salesforceId(KEY_PREFIX.OutboundMessage, this.nextAction++);
    this.outbound = { ...definition, actionId };
    this.engine.targetUrl = definition.endpointUrl;
    return this.outbound;
  }

  /**
   * The org's automation: the PoC's rule sends the Outbound Message when a Contact is created and
   * every time it is edited (the usual "created, and every time it's edited" criterion).
   */
  private saved(change: PropertyChange, now: number, stamped = false): void {
    this.publishChange(change, now, stamped);
    const definition = this.outbound;
    if (!definition) return;
    const event: OutboundEvent = {
      notificationId: salesforceId(KEY_PREFIX.OutboundNotification, this.nextNotification++),
      record: change.record,
      recordId: this.idOf(change.record),
      snapshot: { ...change.record.properties },
      snapshotAt: now,
    };
    this.engine.emit(event, event.recordId);
  }

  /**
   * CDC: a CREATE carries every set field, an UPDATE only the changed ones; a save that changes
   * nothing publishes nothing unless the system stamped the record anyway (a merge's winner).
   */
  private publishChange(change: PropertyChange, now: number, stamped: boolean): void {
    if (!change.created && change.changed.length === 0 && !stamped) return;
    const fields: Record<string, unknown> = {};
    for (const name of change.changed) {
      const value = change.record.properties[name];
      fields[name] = value === undefined || value === '' ? null : value;
    }
    fields.LastModifiedDate = sfDateTime(change.record.updatedAt);
    if (change.created) fields.CreatedDate = sfDateTime(change.record.createdAt);
    this.changes.publish(
      change.created ? 'CREATE' : 'UPDATE',
      this.idOf(change.record),
      fields,
      [...change.changed, 'LastModifiedDate'],
      now,
    );
  }
}

function present(values: Readonly<Record<string, string | null>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== null) out[k] = v;
  return out;
}

function cleared(values: Readonly<Record<string, string | null>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) out[k] = v ?? '';
  return out;
}
