/**
 * Bounds for the e2e figures that depend on how busy the machine is. The tests share a 2-core
 * machine with other work, so they check that the figure is of the right size; the exact figures
 * are measured by the benches (bench/storm-rate.bench.js, bench/probe-accuracy.bench.js).
 */

/**
 * The least `webhook.achieved_rate_ratio` a storm may reach. Idle, every profile holds 0.997 or
 * more; with a busy loop on both cores (load average 9) the open-model generator fell behind its
 * schedule down to 0.84 (dynamics), 0.87 (pipedrive) and 0.93 (HubSpot at 2000/s). Half the asked
 * rate is still a storm the pipeline must keep up with, while a generator that stalls or a write
 * path that never runs (Pipedrive's API path alone is 4 events/s) lands far below it.
 */
export const STORM_MIN_RATE_RATIO = 0.5;

/**
 * How far, as a factor either way, the probe's burst and sustained rate may be from the drawn
 * limit. Idle they are within 1 request and 2.2 %. With busy loops on both cores a slow burst ran
 * into the next fixed window (96 admitted for a limit of 55: 1.75x), a bucket's drain stretched by
 * the scheduler had too much refill subtracted (27 for 36: 1/1.33x), and delayed recovery probes
 * stretched the measured window (sustained 1.15x off). Limits are drawn from 6 to 60, so a probe
 * that reported a documented or default figure instead of the drawn one still fails.
 */
export const PROBE_MAX_FACTOR = 2;

/** How many times larger or smaller `measured` is than `truth` (1 is exact; NaN if not measured). */
export function factorOff(measured: number, truth: number): number {
  return Math.max(measured / truth, truth / measured);
}
