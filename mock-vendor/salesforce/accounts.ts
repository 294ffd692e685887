import { type MockRecord, RecordStore } from '../records.js';
import { missingAccountFields } from './account-schema.js';
import { missingFields } from './errors.js';
import { KEY_PREFIX, salesforceId, sequenceOf } from './ids.js';
import type { SaveOutcome } from './mock.js';

type Values = Readonly<Record<string, string | null>>;

/** The org's Accounts: created, read and edited through the REST sObject API, nothing more. */
export class AccountStore {
  private readonly store = new RecordStore(1);

  idOf(record: MockRecord): string {
    return salesforceId(KEY_PREFIX.Account, Number(record.id));
  }

  findById(id: string): MockRecord | undefined {
    const sequence = sequenceOf(KEY_PREFIX.Account, id);
    return sequence === undefined ? undefined : this.store.get(String(sequence));
  }

  create(values: Values, now: number): SaveOutcome {
    const missing = missingAccountFields(values);
    if (missing.length > 0) {
      return missingFields(missing);
    }
    const set: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) if (v !== null) set[k] = v;
    return { ok: true, id: this.idOf(this.store.create(set, now).record), created: true };
  }

  update(record: MockRecord, values: Values, now: number): SaveOutcome {
    if (values.Name === null || values.Name === '') {
      return missingFields(['Name']);
    }
    const cleared: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) cleared[k] = v ?? '';
    this.store.update(record, cleared, now);
    // Every save stamps the record, even one that changes nothing (as for Contact).
    record.updatedAt = now;
    return { ok: true, id: this.idOf(record), created: false };
  }

  /**
   * Why a Contact cannot point at `accountId`: INVALID_CROSS_REFERENCE_KEY when no such Account
   * exists [unverified message]; undefined when the reference is fine or cleared.
   */
  referenceProblem(accountId: string | null | undefined): SaveOutcome | undefined {
    if (accountId === null || accountId === undefined || accountId === '' || this.findById(accountId)) {
      return undefined;
    }
    return {
      ok: false,
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: 'invalid cross reference id',
      fields: ['AccountId'],
    };
  }
}
