import type { RateLimitFact, VendorProfile } from '../vendors/types.js';

/** Where a figure came from: the vendor's documentation, or a probe run that measured it. */
export interface Sourced<T> {
  readonly value: T;
  readonly source: string;
}

export interface MigrationInput {
  readonly profile: VendorProfile;
  readonly records: number;
  readonly objects: readonly string[];
  /** Sustained requests/s measured by an earlier rate-limit-probe run, if any. */
  readonly measuredPerSecond?: Sourced<number>;
  /** Share of the limits the import may use, leaving room for the team's live traffic. */
  readonly headroom: number;
}

export interface MigrationStep {
  readonly label: string;
  readonly arithmetic: string;
  readonly value: string;
}

export interface MigrationPlan {
  readonly calls: number;
  readonly seconds: number;
  readonly dailyQuota: Sourced<number> | undefined;
  readonly days: number;
  readonly fitsInADay: boolean;
  readonly steps: MigrationStep[];
}

function shortLimit(profile: VendorProfile): Sourced<RateLimitFact> | undefined {
  const fact = profile.rateLimits.find((l) => l.value.windowMs < 86_400_000);
  return fact ? { value: fact.value, source: `${fact.source} [${fact.confidence}]` } : undefined;
}

function dailyLimit(profile: VendorProfile): Sourced<number> | undefined {
  const fact = profile.rateLimits.find((l) => l.value.windowMs >= 86_400_000);
  return fact ? { value: fact.value.requests, source: `${fact.source} [${fact.confidence}]` } : undefined;
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/**
 * How many API calls and how long an initial import takes: records / batch size per object,
 * paced at the sustained rate (measured if a probe ran, documented otherwise) times headroom,
 * checked against the daily quota. Every step keeps its arithmetic so a reader can redo it.
 */
export function planMigration(input: MigrationInput): MigrationPlan {
  const { profile, records, objects, headroom } = input;
  const batch = profile.batchMax.value;
  const steps: MigrationStep[] = [];
  const perUpsert = profile.callsPerUpsert?.value ?? 1;
  const callsPerObject = Math.ceil(records / batch) * perUpsert;
  const calls = callsPerObject * objects.length;
  const costNote =
    perUpsert === 1 ? '' : ` × ${perUpsert} calls per upsert (${profile.callsPerUpsert?.source})`;
  steps.push({
    label: 'API calls',
    arithmetic: `${objects.length} object type(s) × ⌈${n(records)} records / ${batch} per batch call⌉${costNote} = ${objects.length} × ${n(callsPerObject)}`,
    value: n(calls),
  });
  const documented = shortLimit(profile);
  const perSecond =
    input.measuredPerSecond ??
    (documented
      ? { value: (documented.value.requests / documented.value.windowMs) * 1000, source: documented.source }
      : undefined);
  const rate = (perSecond?.value ?? 1) * headroom;
  steps.push({
    label: 'sustained rate',
    arithmetic: perSecond
      ? input.measuredPerSecond
        ? `measured ${perSecond.value.toFixed(2)} req/s (${perSecond.source}) × ${headroom} headroom`
        : `${documented?.value.requests} requests / ${documented ? documented.value.windowMs / 1000 : '?'} s documented (${perSecond.source}) × ${headroom} headroom`
      : 'no documented or measured limit: assuming 1 req/s',
    value: `${rate.toFixed(2)} req/s`,
  });
  const seconds = calls / rate;
  steps.push({
    label: 'time at that rate',
    arithmetic: `${n(calls)} calls / ${rate.toFixed(2)} req/s`,
    value: duration(seconds),
  });
  const daily = dailyLimit(profile);
  const dailyBudget = daily ? Math.floor(daily.value * headroom) : undefined;
  const days = dailyBudget ? Math.ceil(calls / dailyBudget) : Math.ceil(seconds / 86_400);
  steps.push({
    label: 'daily quota',
    arithmetic: daily
      ? `${n(calls)} calls vs ${n(daily.value)}/day × ${headroom} headroom = ${n(dailyBudget ?? 0)} (${daily.source})`
      : 'no daily quota documented',
    value: daily ? (calls <= (dailyBudget ?? 0) ? 'fits in one day' : `needs ${days} days`) : 'n/a',
  });
  const totalDays = Math.max(days, Math.ceil(seconds / 86_400));
  return { calls, seconds, dailyQuota: daily, days: totalDays, fitsInADay: totalDays <= 1, steps };
}
