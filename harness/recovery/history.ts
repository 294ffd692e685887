import { faker } from '@faker-js/faker';
import type { FirehoseInput } from '../targets/types.js';

/** How many changes of each kind a history made. */
export interface HistoryCounts {
  creates: number;
  updates: number;
  deletes: number;
  merges: number;
}

export interface HistoryChunk {
  /** When the changes happened, by the vendor's clock (epoch ms). */
  readonly at: number;
  readonly inputs: readonly FirehoseInput[];
}

/** Shares of each kind of change; updates take the rest. */
export interface ChangeMix {
  readonly create: number;
  readonly delete: number;
  /** Only where the vendor merges records. */
  readonly merge: number;
}

export const HISTORY_MIX: ChangeMix = { create: 0.15, delete: 0.06, merge: 0.02 };
export const OUTAGE_MIX: ChangeMix = { create: 0.2, delete: 0.1, merge: 0.02 };

const UPDATABLE = ['firstname', 'lastname', 'phone'] as const;

/**
 * A realistic history of changes to contacts, generated from a fixed seed: new people, updates of
 * one to three fields, deletes and merges, spread evenly over a time range in chunks that each
 * share one timestamp (as an import or a workflow run does). A record changes at most once per
 * chunk, so no two changes of one record ever share a timestamp and last-writer-wins is defined.
 * The live records are the only state kept: memory grows with records, not with changes.
 */
export class HistoryGenerator {
  readonly counts: HistoryCounts = { creates: 0, updates: 0, deletes: 0, merges: 0 };
  private readonly live: string[] = [];
  /** Where each live id sits in `live`, so a delete costs O(1) at two million changes too. */
  private readonly position = new Map<string, number>();
  private created = 0;

  constructor(
    private readonly prefix: string,
    private readonly merges: boolean,
    seed = 20_261_123,
  ) {
    faker.seed(seed);
  }

  get liveRecords(): number {
    return this.live.length;
  }

  /** `changes` changes in chunks of `chunkSize`, evenly over [fromMs, toMs]. */
  *chunks(
    changes: number,
    fromMs: number,
    toMs: number,
    chunkSize: number,
    mix: ChangeMix,
  ): Generator<HistoryChunk> {
    const chunkCount = Math.max(1, Math.ceil(changes / chunkSize));
    const step = chunkCount > 1 ? (toMs - fromMs) / (chunkCount - 1) : 0;
    let left = changes;
    for (let c = 0; c < chunkCount; c++) {
      const size = Math.min(chunkSize, left);
      left -= size;
      yield { at: Math.round(fromMs + c * step), inputs: this.chunk(size, mix) };
    }
  }

  private chunk(size: number, mix: ChangeMix): FirehoseInput[] {
    const touched = new Set<string>();
    const inputs: FirehoseInput[] = [];
    const pickUntouched = (): string | undefined => {
      for (let tries = 0; tries < 8; tries++) {
        const id = this.live[faker.number.int({ min: 0, max: this.live.length - 1 })] as string;
        if (!touched.has(id)) return id;
      }
      return undefined;
    };
    while (inputs.length < size) {
      const r = faker.number.float({ min: 0, max: 1 });
      // Too few records to pick from without repeats: grow the population first.
      if (this.live.length < 50 + touched.size * 2 || r < mix.create) {
        inputs.push(this.create(touched));
        continue;
      }
      const id = pickUntouched();
      if (id === undefined) {
        inputs.push(this.create(touched));
        continue;
      }
      touched.add(id);
      if (r < mix.create + mix.delete) {
        this.remove(id);
        this.counts.deletes++;
        inputs.push({ externalId: id, fields: {}, deleted: true });
      } else if (this.merges && r < mix.create + mix.delete + mix.merge) {
        const winner = pickUntouched();
        if (winner === undefined) continue;
        touched.add(winner);
        this.remove(id);
        this.counts.merges++;
        inputs.push({ externalId: id, fields: {}, mergeInto: winner });
      } else {
        this.counts.updates++;
        inputs.push({ externalId: id, fields: this.someFields() });
      }
    }
    return inputs;
  }

  private create(touched: Set<string>): FirehoseInput {
    const n = this.created++;
    const firstname = faker.person.firstName();
    const lastname = faker.person.lastName();
    const email = `${this.prefix}-${n}@poc.example`;
    this.position.set(email, this.live.length);
    this.live.push(email);
    touched.add(email);
    this.counts.creates++;
    return { externalId: email, fields: { email, firstname, lastname, phone: phone() } };
  }

  private someFields(): Record<string, string> {
    const count = faker.number.int({ min: 1, max: UPDATABLE.length });
    const names = faker.helpers.arrayElements(UPDATABLE, count);
    const out: Record<string, string> = {};
    for (const name of names) {
      out[name] =
        name === 'phone'
          ? phone()
          : name === 'firstname'
            ? faker.person.firstName()
            : faker.person.lastName();
    }
    return out;
  }

  private remove(id: string): void {
    const i = this.position.get(id);
    if (i === undefined) return;
    // Swap-remove: order does not matter, and the list may hold many thousands.
    const last = this.live.pop() as string;
    this.position.delete(id);
    if (last !== id) {
      this.live[i] = last;
      this.position.set(last, i);
    }
  }
}

function phone(): string {
  return `+1${faker.string.numeric({ length: 10, allowLeadingZeros: false })}`;
}
