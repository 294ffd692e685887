/** One CRM record as the mock keeps it. */
export interface MockRecord {
  readonly id: string;
  properties: Record<string, string>;
  readonly createdAt: number;
  updatedAt: number;
}

export interface PropertyChange {
  readonly record: MockRecord;
  readonly created: boolean;
  /** Properties whose value changed (all set properties on create). */
  readonly changed: readonly string[];
}

/**
 * A record's value of a property, or undefined. Property names come from clients (HubSpot's
 * `idProperty`, search filters), so only own properties count: `constructor` or `__proto__` must
 * not find Object.prototype's.
 */
export function propertyOf(record: MockRecord, name: string): string | undefined {
  return Object.hasOwn(record.properties, name) ? record.properties[name] : undefined;
}

/** An in-memory object store with unique lookups by any property (HubSpot's idProperty). */
export class RecordStore {
  private readonly byId = new Map<string, MockRecord>();
  private readonly indexes = new Map<string, Map<string, string>>();
  /** Records in id (= creation) order, deleted ones dropped lazily: lists seek in it. */
  private order: MockRecord[] = [];
  private deletedInOrder = 0;
  private nextId: number;

  constructor(firstId = 1001) {
    this.nextId = firstId;
  }

  get size(): number {
    return this.byId.size;
  }

  all(): IterableIterator<MockRecord> {
    return this.byId.values();
  }

  get(id: string): MockRecord | undefined {
    return this.byId.get(id);
  }

  list(afterId: number, limit: number): MockRecord[] {
    // Ids are issued in increasing order, so `order` is sorted by id: a binary search finds the
    // page start, and a snapshot of a million records costs pages, not pages x records.
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (Number((this.order[mid] as MockRecord).id) <= afterId) lo = mid + 1;
      else hi = mid;
    }
    const out: MockRecord[] = [];
    for (let i = lo; i < this.order.length && out.length < limit; i++) {
      const record = this.order[i] as MockRecord;
      if (this.byId.get(record.id) === record) out.push(record);
    }
    return out;
  }

  findBy(property: string, value: string): MockRecord | undefined {
    if (property === 'hs_object_id') return this.byId.get(value);
    const id = this.index(property).get(value.toLowerCase());
    return id === undefined ? undefined : this.byId.get(id);
  }

  create(properties: Record<string, string>, now: number): PropertyChange {
    const record: MockRecord = {
      id: String(this.nextId++),
      properties: { ...properties },
      createdAt: now,
      updatedAt: now,
    };
    this.byId.set(record.id, record);
    this.order.push(record);
    for (const [prop, index] of this.indexes) {
      const v = propertyOf(record, prop);
      if (v !== undefined) index.set(v.toLowerCase(), record.id);
    }
    return { record, created: true, changed: Object.keys(properties) };
  }

  update(record: MockRecord, properties: Record<string, string>, now: number): PropertyChange {
    const changed: string[] = [];
    for (const [prop, value] of Object.entries(properties)) {
      const old = propertyOf(record, prop);
      if (old === value) continue;
      changed.push(prop);
      const index = this.indexes.get(prop);
      if (index) {
        if (old !== undefined) index.delete(old.toLowerCase());
        index.set(value.toLowerCase(), record.id);
      }
      record.properties[prop] = value;
    }
    if (changed.length > 0) record.updatedAt = now;
    return { record, created: false, changed };
  }

  delete(id: string): MockRecord | undefined {
    const record = this.byId.get(id);
    if (!record) return undefined;
    this.byId.delete(id);
    if (++this.deletedInOrder * 2 > this.order.length) {
      this.order = this.order.filter((r) => this.byId.get(r.id) === r);
      this.deletedInOrder = 0;
    }
    for (const [prop, index] of this.indexes) {
      const v = propertyOf(record, prop);
      if (v !== undefined) index.delete(v.toLowerCase());
    }
    return record;
  }

  private index(property: string): Map<string, string> {
    let index = this.indexes.get(property);
    if (!index) {
      index = new Map();
      for (const record of this.byId.values()) {
        const v = propertyOf(record, property);
        if (v !== undefined) index.set(v.toLowerCase(), record.id);
      }
      this.indexes.set(property, index);
    }
    return index;
  }
}
