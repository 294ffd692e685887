import { parseDuration } from './duration.js';
import { PocError } from './errors.js';

/** A stretch of time, measured from the mock's start. */
export interface TimeWindow {
  readonly startMs: number;
  readonly durationMs: number;
}

/**
 * Faults the mock injects, on its webhook deliveries and on its API. Probabilities are 0..1,
 * times in ms. Windows are measured from the moment the mock started.
 */
export interface DeliveryFaults {
  /** Share of delivered events that are delivered a second time. */
  duplicate: number;
  /** Share of delivery attempts that fail on the vendor's side and go to the retry schedule. */
  failure: number;
  /** Share of events held back and delivered after later ones. */
  reorder: number;
  /** Upper bound of a random delay added before each delivery attempt, ms. */
  jitterMs: number;
  /** Delay added to API answers, with probability `latencyP` (1 when omitted). */
  latencyMs?: number;
  latencyP?: number;
  /** Share of API requests answered with a server error. */
  serverError?: number;
  /** The vendor is down: API answers 503 and deliveries wait. */
  outages?: readonly TimeWindow[];
  /** Every API request gets the vendor's over-limit answer. */
  rateLimitStorms?: readonly TimeWindow[];
  /** When the windows start counting (epoch ms); the mock's start when absent. */
  epochMs?: number;
}

export const NO_FAULTS: Readonly<DeliveryFaults> = { duplicate: 0, failure: 0, reorder: 0, jitterMs: 0 };

/** Named chaos profiles: a few realistic bad days, usable wherever a fault spec is. */
export const CHAOS_PROFILES: Readonly<Record<string, string>> = {
  flaky: 'latency=300ms,p=0.1,5xx=0.02,failure=0.05,duplicate=0.02,jitter=50ms',
  'regional-outage': 'outage=20s@10s',
  'retry-storm': 'failure=0.3,duplicate=0.1,reorder=0.05,jitter=200ms',
};

const PROBABILITIES = {
  duplicate: 'duplicate',
  failure: 'failure',
  reorder: 'reorder',
  '5xx': 'serverError',
} as const;
const KNOWN = [
  ...Object.keys(PROBABILITIES),
  'jitter',
  'latency',
  'p',
  'outage',
  '429-storm',
  ...Object.keys(CHAOS_PROFILES),
];

function probability(name: string, raw: string): number {
  const value = raw.endsWith('%') ? Number(raw.slice(0, -1)) / 100 : Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--fault ${name}: "${raw}" must be a probability between 0 and 1 (or 0%..100%)`,
    );
  }
  return value;
}

function window(name: string, raw: string): TimeWindow {
  const [duration = '', start = '0s'] = raw.split('@');
  return {
    durationMs: parseDuration(duration, `--fault ${name} (duration)`),
    startMs: parseDuration(start, `--fault ${name} (start, after @)`),
  };
}

/**
 * Parses `--fault` specs: `duplicate=0.05`, `failure=2%`, `reorder=0.01`, `jitter=50ms`,
 * `latency=200ms,p=0.1` (p applies to the fault before it), `5xx=0.02`, `outage=30s@10s`,
 * `429-storm=5s@20s`, or a chaos profile name (`flaky`, `regional-outage`, `retry-storm`).
 */
export function parseFaults(
  specs: readonly string[],
  base: Readonly<DeliveryFaults> = NO_FAULTS,
): DeliveryFaults {
  const faults: DeliveryFaults = { ...base };
  let previous: string | undefined;
  const tokens = specs
    .flatMap((s) => s.split(','))
    .map((t) => t.trim())
    .filter((t) => t !== '');
  for (const token of tokens) {
    const profile = CHAOS_PROFILES[token];
    if (profile !== undefined) {
      Object.assign(faults, parseFaults([profile], faults));
      previous = undefined;
      continue;
    }
    const [name = '', raw] = token.split('=', 2).map((p) => p.trim());
    if (!KNOWN.includes(name)) {
      throw new PocError(
        'POC_ERR_BAD_OPTION',
        `--fault: unknown fault "${name}"; known: ${KNOWN.join(', ')}`,
      );
    }
    if (raw === undefined || raw === '') {
      throw new PocError(
        'POC_ERR_BAD_OPTION',
        `--fault: "${token}" must look like name=value, e.g. duplicate=0.05`,
      );
    }
    if (name === 'p') {
      if (previous !== 'latency') {
        throw new PocError(
          'POC_ERR_BAD_OPTION',
          '--fault p: a probability applies to the fault before it, e.g. latency=200ms,p=0.1',
        );
      }
      faults.latencyP = probability('latency p', raw);
    } else if (name === 'jitter') {
      faults.jitterMs = parseDuration(raw, '--fault jitter');
    } else if (name === 'latency') {
      faults.latencyMs = parseDuration(raw, '--fault latency');
      faults.latencyP = 1;
    } else if (name === 'outage') {
      faults.outages = [...(faults.outages ?? []), window(name, raw)];
    } else if (name === '429-storm') {
      faults.rateLimitStorms = [...(faults.rateLimitStorms ?? []), window(name, raw)];
    } else {
      faults[PROBABILITIES[name as keyof typeof PROBABILITIES]] = probability(name, raw);
    }
    previous = name;
  }
  return faults;
}

/** The window `elapsedMs` falls in, if any. */
export function activeWindow(
  windows: readonly TimeWindow[] | undefined,
  elapsedMs: number,
): TimeWindow | undefined {
  return windows?.find((w) => elapsedMs >= w.startMs && elapsedMs < w.startMs + w.durationMs);
}
