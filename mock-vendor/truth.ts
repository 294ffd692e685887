/**
 * The mock's ground truth: what it really emitted, delivered, retried and dropped. Only tests
 * read it (GET /__admin/truth); scenarios must infer everything from the wire.
 */
export class GroundTruth {
  emitted = 0;
  /** Events acknowledged (2xx) at least once. */
  acknowledged = 0;
  attempts = 0;
  failedAttempts = 0;
  injectedFailures = 0;
  injectedDuplicates = 0;
  reordered = 0;
  retriesScheduled = 0;
  dropped = 0;
  apiRequests = 0;
  rateLimited = 0;
  /** Emitted events per object id: bounded by the number of records, not events. */
  readonly emittedPerObject = new Map<string, number>();

  recordEmit(objectId: string): void {
    this.emitted++;
    this.emittedPerObject.set(objectId, (this.emittedPerObject.get(objectId) ?? 0) + 1);
  }

  toJSON() {
    return {
      emitted: this.emitted,
      acknowledged: this.acknowledged,
      attempts: this.attempts,
      failedAttempts: this.failedAttempts,
      injectedFailures: this.injectedFailures,
      injectedDuplicates: this.injectedDuplicates,
      reordered: this.reordered,
      retriesScheduled: this.retriesScheduled,
      dropped: this.dropped,
      apiRequests: this.apiRequests,
      rateLimited: this.rateLimited,
      emittedPerObject: Object.fromEntries(this.emittedPerObject),
    };
  }
}
