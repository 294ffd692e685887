import { faker } from '@faker-js/faker';
import { ArrivalRate, type ArrivalRateResult } from '../../harness/load/arrival-rate.js';
import type { RunContext } from '../../harness/scenario.js';
import { tightestShortLimit } from '../../harness/targets/connect.js';
import { writeRecords } from '../../harness/targets/record-writes.js';
import type { CrmApi, RecordInput, VendorProfile } from '../../harness/vendors/types.js';

/**
 * The records the storm updates in turn. On the mock they come from the firehose (free); on a
 * live vendor through the API, which costs calls, so the pool is kept small there.
 */
export async function createPool(ctx: RunContext, api: CrmApi, size: number): Promise<string[]> {
  faker.seed(20_261_123);
  const emails: string[] = [];
  const inputs: RecordInput[] = [];
  for (let i = 0; i < size; i++) {
    const email = `storm-${ctx.runId}-${i}@poc.example`;
    emails.push(email);
    inputs.push({
      externalId: email,
      fields: { email, firstname: faker.person.firstName(), lastname: faker.person.lastName() },
    });
  }
  await writeRecords(ctx, api, inputs);
  return emails;
}

/** How the asked rate splits between the public API (under its documented limit) and the mock's firehose. */
export interface RatePlan {
  readonly apiRequestsPerSec: number;
  readonly apiEventsPerSec: number;
  readonly firehoseEventsPerSec: number;
  /** Set when a live run cannot send all it was asked: what was left out and why. */
  readonly shortfall?: string;
}

export function planRates(
  profile: VendorProfile,
  rate: number,
  apiShare: number,
  hasFirehose: boolean,
): RatePlan {
  const shortLimit = tightestShortLimit(profile.rateLimits.map((l) => l.value));
  const apiRequestsPerSec = shortLimit ? (shortLimit.requests / shortLimit.windowMs) * 1000 * apiShare : 10;
  const apiEventsPerSec = Math.min(rate, apiRequestsPerSec * profile.batchMax.value);
  const rest = rate - apiEventsPerSec;
  if (rest > 0 && !hasFirehose) {
    return {
      apiRequestsPerSec,
      apiEventsPerSec,
      firehoseEventsPerSec: 0,
      shortfall: `asked ${rate} events/s but the live API allows about ${Math.floor(apiEventsPerSec)} events/s within ${Math.round(apiShare * 100)}% of its documented limit; the rest was not sent`,
    };
  }
  return { apiRequestsPerSec, apiEventsPerSec, firehoseEventsPerSec: rest };
}

/** A partial failure (HubSpot's 207) writes some records and not others, and says which only by id. */
export function partlyFailed(result: unknown): boolean {
  return typeof result === 'object' && result !== null && 'errors' in result && Number(result.errors) > 0;
}

export interface PathResult extends ArrivalRateResult {
  /** Changes this path wrote in full batches. */
  readonly written: number;
}

/**
 * One open-model driver for one write path: iterations per second and changes per iteration
 * chosen so `eventsPerSec` is met within `maxIterPerSec`; `write` makes one batch.
 */
export function drivePath(options: {
  readonly eventsPerSec: number;
  readonly maxIterPerSec: number;
  readonly maxBatch: number;
  readonly durationMs: number;
  readonly signal: AbortSignal;
  readonly via: (inputs: RecordInput[]) => Promise<unknown>;
  readonly write: (
    count: number,
    intendedAt: number,
    via: (inputs: RecordInput[]) => Promise<unknown>,
  ) => Promise<void>;
}): Promise<PathResult> {
  const batch = Math.min(
    options.maxBatch,
    Math.max(1, Math.ceil(options.eventsPerSec / options.maxIterPerSec)),
  );
  let written = 0;
  const counted = async (inputs: RecordInput[]) => {
    const result = await options.via(inputs);
    if (!partlyFailed(result)) written += inputs.length;
    return result;
  };
  return new ArrivalRate({
    iterationsPerSec: options.eventsPerSec / batch,
    durationMs: options.durationMs,
    maxInFlight: 64,
    signal: options.signal,
    iteration: (_i, intendedAt) => options.write(batch, intendedAt, counted),
  })
    .run()
    .then((result) => ({ ...result, written }));
}
