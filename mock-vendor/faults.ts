import { parseDuration } from '../harness/duration.js';
import { PocError } from '../harness/errors.js';

/** Delivery faults the mock injects; each is a probability or a duration. */
export interface DeliveryFaults {
  /** Share of delivered events that are delivered a second time. */
  duplicate: number;
  /** Share of delivery attempts that fail on the vendor's side and go to the retry schedule. */
  failure: number;
  /** Share of events held back and delivered after later ones. */
  reorder: number;
  /** Upper bound of a random delay added before each delivery attempt, ms. */
  jitterMs: number;
}

export const NO_FAULTS: Readonly<DeliveryFaults> = { duplicate: 0, failure: 0, reorder: 0, jitterMs: 0 };

const PROBABILITIES = ['duplicate', 'failure', 'reorder'] as const;

/**
 * Parses `--fault` values: `duplicate=0.05`, `failure=2%`, `reorder=0.01`, `jitter=50ms`,
 * several per flag separated by commas.
 */
export function parseFaults(
  specs: readonly string[],
  base: Readonly<DeliveryFaults> = NO_FAULTS,
): DeliveryFaults {
  const faults: DeliveryFaults = { ...base };
  for (const spec of specs.flatMap((s) => s.split(','))) {
    const [name, raw] = spec.split('=', 2).map((p) => p.trim());
    if (!name || raw === undefined || raw === '') {
      throw new PocError(
        'POC_ERR_BAD_OPTION',
        `--fault: "${spec}" must look like name=value, e.g. duplicate=0.05`,
      );
    }
    if (name === 'jitter') {
      faults.jitterMs = parseDuration(raw, '--fault jitter');
      continue;
    }
    const known = PROBABILITIES.find((p) => p === name);
    if (!known) {
      throw new PocError(
        'POC_ERR_BAD_OPTION',
        `--fault: unknown fault "${name}"; known: ${[...PROBABILITIES, 'jitter'].join(', ')}`,
      );
    }
    const value = raw.endsWith('%') ? Number(raw.slice(0, -1)) / 100 : Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new PocError(
        'POC_ERR_BAD_OPTION',
        `--fault ${name}: "${raw}" must be a probability between 0 and 1 (or 0%..100%)`,
      );
    }
    faults[known] = value;
  }
  return faults;
}
