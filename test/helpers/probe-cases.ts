/**
 * The limits rate-limit-probe is run against in test/e2e/rate-limit-probe.test.ts and
 * bench/probe-accuracy.bench.js: drawn at random (mulberry32, seed printed) so the probe cannot
 * be tuned to one shape, and the same for the test and the bench given the same seed.
 */

/** The over-limit status each vendor answers with: what the probe must recognise. */
export const THROTTLE_STATUS: Readonly<Record<string, number>> = {
  hubspot: 429,
  pipedrive: 429,
  zoho: 429,
  dynamics: 429,
  salesforce: 403,
  standard: 429,
};

/**
 * Whether a vendor's headers make a short-window claim the probe can hold against a throttled
 * burst (shared/vendors.md): Salesforce's Sforce-Limit-Info is its 24 h allocation only, Zoho
 * documents no limit headers. Where there is none, an honest probe reports no mismatch count at all.
 */
export const SHORT_WINDOW_HEADERS: Readonly<Record<string, boolean>> = {
  hubspot: true,
  pipedrive: true,
  zoho: false,
  dynamics: true,
  salesforce: false,
  standard: true,
};

/** What an honest mock's probe reports as `ratelimit.header_mismatch_count`: 0, or absent when nothing could be compared. */
export function honestHeaderMismatches(vendor: string): number | undefined {
  return SHORT_WINDOW_HEADERS[vendor] ? 0 : undefined;
}

export const PROBE_STYLES = ['fixed', 'sliding', 'token-bucket'] as const;
export type ProbeStyle = (typeof PROBE_STYLES)[number];

/** One probe run: the vendor profile and the limiter its probe request meets (`settings.rateLimit`). */
export interface ProbeCase {
  readonly vendor: string;
  readonly style: ProbeStyle;
  readonly limit: number;
  readonly windowMs: number;
}

/** mulberry32: a small seeded PRNG, uniform on [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed from POC_PROBE_SEED; else a fixed one in CI (its runs stay comparable), else the clock
 * (each local run draws new limits).
 */
export function probeSeed(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.POC_PROBE_SEED ?? (env.CI ? 20_261_123 : Date.now() % 100_000));
}

/**
 * Every vendor x style with its limit (6..60 requests) and window (1..2.5 s). All are drawn up
 * front in one fixed order, so a case gets the same limits whether it runs alone, shuffled, or
 * with only some vendors (`only`), and a seed reproduces it.
 */
export function probeCases(seed: number, only?: readonly string[]): ProbeCase[] {
  const random = mulberry32(seed);
  const draw = (min: number, max: number) => Math.round(min + random() * (max - min));
  return Object.keys(THROTTLE_STATUS)
    .flatMap((vendor) =>
      PROBE_STYLES.map((style) => ({ vendor, style, limit: draw(6, 60), windowMs: draw(1000, 2500) })),
    )
    .filter((c) => !only || only.includes(c.vendor));
}
