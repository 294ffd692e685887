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

/** An in-memory object store with unique lookups by any property (HubSpot's idProperty). */
export class RecordStore {
  private readonly byId = new Map<string, MockRecord>();
  private readonly indexes = new Map<string, Map<string, string>>();
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
    const out: MockRecord[] = [];
    // Ids are issued in increasing order and Map keeps insertion order, so this is id order.
    for (const record of this.byId.values()) {
      if (Number(record.id) <= afterId) continue;
      out.push(record);
      if (out.length === limit) break;
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
    for (const [prop, index] of this.indexes) {
      const v = record.properties[prop];
      if (v !== undefined) index.set(v.toLowerCase(), record.id);
    }
    return { record, created: true, changed: Object.keys(properties) };
  }

  update(record: MockRecord, properties: Record<string, string>, now: number): PropertyChange {
    const changed: string[] = [];
    for (const [prop, value] of Object.entries(properties)) {
      const old = record.properties[prop];
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
    for (const [prop, index] of this.indexes) {
      const v = record.properties[prop];
      if (v !== undefined) index.delete(v.toLowerCase());
    }
    return record;
  }

  private index(property: string): Map<string, string> {
    let index = this.indexes.get(property);
    if (!index) {
      index = new Map();
      for (const record of this.byId.values()) {
        const v = record.properties[property];
        if (v !== undefined) index.set(v.toLowerCase(), record.id);
      }
      this.indexes.set(property, index);
    }
    return index;
  }
}
