import type { Finding } from './findings.js';

/** Which way a finding is better; `none` for facts that are neither (a window length, a count sent). */
export type Better = 'lower' | 'higher' | 'none';

/**
 * How much two runs of the same thing differ by chance on a shared machine; `poc compare`
 * ignores differences within it. `exact`: correctness counts, one more is worse; `rate`: rates an
 * open-model run holds to the request; `throughput`: what this machine managed, which moves more.
 */
export type Noise = 'exact' | 'latency' | 'rate' | 'count' | 'throughput';

/**
 * What a finding is evidence of (DESIGN.md, "Evidence kinds"). `design`: a documented fact of
 * the vendor's design that the emulation reproduces (signature scheme, replay window, header
 * honesty), so a mock run may score it. `service`: the vendor's service performance (delivery
 * rate, latency, loss, sustained throughput, time to recover), a fact only a live run
 * establishes. `run`: what the run itself did (events sent, requests spent): never a score.
 */
export type EvidenceKind = 'design' | 'service' | 'run';

/** One finding key: its unit, what it means, which way is better and what it can prove. */
export interface FindingSpec {
  readonly unit: string;
  readonly description: string;
  readonly better: Better;
  /** Required unless `better` is none. */
  readonly noise?: Noise;
  readonly evidence: EvidenceKind;
}

export type FindingSpecs = Readonly<Record<string, FindingSpec>>;

/** A fact that is neither better nor worse: what the run did, what the vendor documents. */
export function fact(unit: string, description: string, evidence: EvidenceKind = 'run'): FindingSpec {
  return { unit, description, better: 'none', evidence };
}

/** A finding with a better direction, and the noise two runs of the same thing show. */
export function measure(
  unit: string,
  description: string,
  better: 'lower' | 'higher',
  noise: Noise,
  evidence: EvidenceKind,
): FindingSpec {
  return { unit, description, better, noise, evidence };
}

/** Declares a group of finding keys; the keys are dotted, lowercase and carry their unit. */
export function defineFindings<const K extends string>(specs: Readonly<Record<K, FindingSpec>>) {
  return specs;
}

/**
 * The findings of `values` with units from `specs`, in the specs' order. Values that are not
 * finite are dropped rather than stored as a number they are not (an empty histogram is not 0 ms).
 */
export function toFindings<K extends string>(
  specs: Readonly<Record<K, FindingSpec>>,
  values: Partial<Record<K, number>>,
  evidence: string | ((key: K) => string),
): Finding[] {
  const findings: Finding[] = [];
  for (const key of Object.keys(specs) as K[]) {
    const value = values[key];
    if (value === undefined || !Number.isFinite(value)) continue;
    findings.push({
      key,
      value,
      unit: specs[key].unit,
      evidence: typeof evidence === 'string' ? evidence : evidence(key),
    });
  }
  return findings;
}

/**
 * Every finding key poc can produce, merged from each scenario's and command's specs. A key
 * declared twice must mean the same thing both times.
 */
export class Vocabulary {
  private readonly specs = new Map<string, FindingSpec>();

  constructor(groups: readonly FindingSpecs[]) {
    for (const group of groups) {
      for (const [key, spec] of Object.entries(group)) {
        const known = this.specs.get(key);
        if (known && JSON.stringify(known) !== JSON.stringify(spec))
          throw new Error(`finding ${key} is declared twice with different specs`);
        if (spec.better !== 'none' && spec.noise === undefined)
          throw new Error(`finding ${key} says which way is better but not how noisy it is`);
        this.specs.set(key, spec);
      }
    }
  }

  get(key: string): FindingSpec | undefined {
    return this.specs.get(key);
  }

  has(key: string): boolean {
    return this.specs.has(key);
  }

  keys(): string[] {
    return [...this.specs.keys()];
  }
}
