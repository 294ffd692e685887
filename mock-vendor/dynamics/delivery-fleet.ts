import { DeliveryEngine, type DeliveryFormat, type DeliveryPolicy } from '../delivery-engine.js';
import type { DeliveryFaults } from '../faults.js';
import type { GroundTruth } from '../truth.js';

/**
 * One delivery queue per service endpoint (each has its own URL and key), seen by the admin API
 * as a single delivery: pending is the sum, faults apply to all, stop stops all.
 */
export class DeliveryFleet<E> {
  private readonly engines = new Map<string, DeliveryEngine<E>>();
  private stopped = false;

  constructor(
    private readonly policy: () => DeliveryPolicy,
    private currentFaults: DeliveryFaults,
    private readonly truth: GroundTruth,
  ) {}

  get pending(): number {
    let n = 0;
    for (const e of this.engines.values()) n += e.pending;
    return n;
  }

  get faults(): DeliveryFaults {
    return this.currentFaults;
  }

  set faults(faults: DeliveryFaults) {
    this.currentFaults = faults;
    for (const e of this.engines.values()) e.faults = faults;
  }

  get(id: string): DeliveryEngine<E> | undefined {
    return this.engines.get(id);
  }

  /** The queue of endpoint `id`, created on first use with the fleet's current faults. */
  ensure(id: string, format: () => DeliveryFormat<E>): DeliveryEngine<E> {
    let engine = this.engines.get(id);
    if (!engine) {
      engine = new DeliveryEngine(format(), this.policy(), this.currentFaults, this.truth);
      if (this.stopped) engine.stop();
      this.engines.set(id, engine);
    }
    return engine;
  }

  remove(id: string): void {
    this.engines.get(id)?.stop();
    this.engines.delete(id);
  }

  stop(): void {
    this.stopped = true;
    for (const e of this.engines.values()) e.stop();
  }
}
