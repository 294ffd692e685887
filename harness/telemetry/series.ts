import type { Registry } from 'prom-client';

/** The per-second series a run keeps for its report: rates, latency percentiles, errors, depth. */
export const SERIES = {
  events_per_s: 'events received per second (first receipt)',
  applied_per_s: 'events applied to the local store per second',
  duplicates_per_s: 'duplicate events received per second',
  rejected_per_s: 'webhook requests answered 4xx/5xx per second',
  latency_p50_ms: 'delivery latency p50 over the interval (ms)',
  latency_p95_ms: 'delivery latency p95 over the interval (ms)',
  latency_p99_ms: 'delivery latency p99 over the interval (ms)',
  queue_depth: 'rows waiting in the durable queue',
  api_calls_per_s: 'vendor API calls per second',
  api_throttled_per_s: 'vendor API calls throttled (429) per second',
  api_errors_per_s: 'vendor API calls failed (5xx, other 4xx) per second',
} as const;
export type SeriesKey = keyof typeof SERIES;

interface MetricJson {
  name: string;
  values: { value: number; labels: Record<string, string | number>; metricName?: string }[];
}

interface Cumulative {
  readonly counters: Map<string, number>;
  /** Cumulative count per latency bucket upper bound (seconds). */
  readonly buckets: Map<number, number>;
}

function sum(
  metric: MetricJson | undefined,
  keep: (labels: Record<string, string | number>) => boolean = () => true,
): number {
  return (metric?.values ?? []).filter((v) => keep(v.labels)).reduce((s, v) => s + v.value, 0);
}

/** Linear interpolation inside the bucket, as PromQL's histogram_quantile does. */
function quantile(q: number, deltas: readonly [number, number][]): number | undefined {
  const total = deltas.at(-1)?.[1] ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, count] of deltas) {
    if (count >= rank) {
      if (!Number.isFinite(bound)) return prevBound * 1000;
      const inBucket = count - prevCount;
      const share = inBucket > 0 ? (rank - prevCount) / inBucket : 1;
      return (prevBound + (bound - prevBound) * share) * 1000;
    }
    prevBound = bound;
    prevCount = count;
  }
  return prevBound * 1000;
}

/**
 * Reads the run's registry every interval and turns its cumulative counters into per-second
 * values and its latency histogram into percentiles over the interval. One point per interval
 * goes to `sink` (the run store, on disk): memory does not grow with the run's length.
 */
export class SeriesSampler {
  private last: Cumulative | undefined;
  private lastAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly sink: (at: number, values: Partial<Record<SeriesKey, number>>) => void,
    /** Refreshes gauges that are only set on demand (the queue depth) before each reading. */
    private readonly refresh: () => void = () => {},
  ) {}

  start(intervalMs = 1000): void {
    // A failed reading (a busy run store) loses one point, never the run.
    const tick = () => {
      this.sample().catch(() => undefined);
    };
    tick();
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  /** Takes a last point, so a run shorter than the interval still has its end. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.sample().catch(() => undefined);
  }

  private async read(): Promise<Cumulative> {
    this.refresh();
    const metrics = (await this.registry.getMetricsAsJSON()) as unknown as MetricJson[];
    const byName = new Map(metrics.map((m) => [m.name, m]));
    const counters = new Map<string, number>([
      ['events', sum(byName.get('poc_webhook_receiver_events_total'))],
      ['applied', sum(byName.get('poc_webhook_events_applied_total'))],
      ['duplicates', sum(byName.get('poc_webhook_receiver_duplicates_total'))],
      ['rejected', sum(byName.get('poc_webhook_receiver_requests_total'), (l) => String(l.status) !== '200')],
      ['api', sum(byName.get('poc_vendor_api_requests_total'))],
      ['throttled', sum(byName.get('poc_vendor_api_requests_total'), (l) => String(l.status) === '429')],
      [
        'apiErrors',
        sum(byName.get('poc_vendor_api_requests_total'), (l) => {
          const s = Number(l.status);
          return s !== 429 && (s >= 400 || s === 0);
        }),
      ],
      ['depth', sum(byName.get('poc_webhook_queue_depth'))],
    ]);
    const buckets = new Map<number, number>();
    for (const v of byName.get('poc_webhook_delivery_latency_seconds')?.values ?? []) {
      if (v.metricName?.endsWith('_bucket')) {
        const le = v.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(v.labels.le);
        buckets.set(le, (buckets.get(le) ?? 0) + v.value);
      }
    }
    return { counters, buckets };
  }

  private async sample(): Promise<void> {
    const at = Date.now();
    const now = await this.read();
    const prev = this.last;
    const seconds = (at - this.lastAt) / 1000;
    this.last = now;
    this.lastAt = at;
    if (!prev || seconds <= 0) return;
    const rate = (k: string) =>
      Math.max(0, ((now.counters.get(k) ?? 0) - (prev.counters.get(k) ?? 0)) / seconds);
    const deltas = [...now.buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([le, count]) => [le, count - (prev.buckets.get(le) ?? 0)] as [number, number]);
    const values: Partial<Record<SeriesKey, number>> = {
      events_per_s: rate('events'),
      applied_per_s: rate('applied'),
      duplicates_per_s: rate('duplicates'),
      rejected_per_s: rate('rejected'),
      queue_depth: now.counters.get('depth') ?? 0,
      api_calls_per_s: rate('api'),
      api_throttled_per_s: rate('throttled'),
      api_errors_per_s: rate('apiErrors'),
    };
    for (const [key, q] of [
      ['latency_p50_ms', 0.5],
      ['latency_p95_ms', 0.95],
      ['latency_p99_ms', 0.99],
    ] as const) {
      const v = quantile(q, deltas);
      if (v !== undefined) values[key] = v;
    }
    this.sink(at, values);
  }
}
