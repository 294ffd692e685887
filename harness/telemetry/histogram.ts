import * as hdr from 'hdr-histogram-js';

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * A latency histogram in milliseconds with declared bounds (1 µs .. 1 h, 3 significant digits):
 * constant memory however many samples, mergeable across workers and runs.
 */
export class LatencyHistogram {
  private readonly h = hdr.build({
    bitBucketSize: 64,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  /** Records a latency in ms; values are kept in µs so sub-millisecond loopback times survive. */
  record(ms: number): void {
    this.h.recordValue(Math.max(1, Math.min(3_600_000_000, Math.round(ms * 1000))));
  }

  get count(): number {
    return this.h.totalCount;
  }

  summary(): LatencySummary {
    const at = (p: number) => (this.h.totalCount === 0 ? 0 : this.h.getValueAtPercentile(p) / 1000);
    return {
      count: this.h.totalCount,
      p50: at(50),
      p95: at(95),
      p99: at(99),
      max: this.h.totalCount === 0 ? 0 : this.h.maxValue / 1000,
      mean: this.h.totalCount === 0 ? 0 : this.h.mean / 1000,
    };
  }
}
