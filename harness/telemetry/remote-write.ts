import type { Registry } from 'prom-client';
import { Root } from 'protobufjs/light.js';
import { compress, uncompress } from 'snappyjs';
import type { Logger } from '../log.js';
import { readSecret, requireSecret } from '../secrets.js';

/**
 * prometheus.WriteRequest (prompb/remote.proto + types.proto, remote-write 1.0), only the fields
 * a sender fills. Kept as a JSON descriptor: tsc copies no .proto file into dist/.
 */
const WRITE_REQUEST = Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: {
          fields: {
            timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 },
            metadata: { rule: 'repeated', type: 'MetricMetadata', id: 3 },
          },
        },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
        MetricMetadata: {
          fields: {
            type: { type: 'MetricType', id: 1 },
            metricFamilyName: { type: 'string', id: 2 },
            help: { type: 'string', id: 4 },
            unit: { type: 'string', id: 5 },
          },
          nested: {
            MetricType: {
              values: { UNKNOWN: 0, COUNTER: 1, GAUGE: 2, HISTOGRAM: 3, GAUGEHISTOGRAM: 4, SUMMARY: 5 },
            },
          },
        },
      },
    },
  },
}).lookupType('prometheus.WriteRequest');

export interface RemoteWriteLabel {
  readonly name: string;
  readonly value: string;
}
export interface RemoteWriteSeries {
  readonly labels: RemoteWriteLabel[];
  readonly samples: { readonly value: number; readonly timestamp: number }[];
}
export interface RemoteWriteRequest {
  readonly timeseries: RemoteWriteSeries[];
  readonly metadata: { type: number; metricFamilyName: string; help: string }[];
}

interface MetricJson {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly values: {
    readonly value: number;
    readonly labels: Readonly<Record<string, string | number>>;
    readonly metricName?: string;
  }[];
}

const METADATA_TYPE: Record<string, number> = { counter: 1, gauge: 2, histogram: 3, summary: 5 };

/** What earlier snapshots of a stream sent: which cumulative series, and when. */
export interface SeriesMemory {
  readonly seen: Set<string>;
  previousTimestamp: number | undefined;
}

/**
 * One sample per series of the registry at `timestamp`, named as Prometheus stores them:
 * counters end in _total, histograms come as _bucket/_sum/_count, gauges as they are.
 * Empty label values are dropped (in Prometheus an empty label is no label) and labels are
 * sorted by name, as the remote-write spec requires.
 *
 * With `memory`, a counter or histogram series that first appears after the first snapshot also
 * gets a 0 at the previous snapshot's time (it did not exist then, so it had counted nothing):
 * without it, a label set born late in a short run has one sample, and rate() gives nothing.
 * Prometheus' own created-timestamp zero injection does the same for scraped counters.
 */
export function toWriteRequest(
  metrics: readonly MetricJson[],
  timestamp: number,
  memory?: SeriesMemory,
): RemoteWriteRequest {
  const timeseries: RemoteWriteSeries[] = [];
  const metadata: RemoteWriteRequest['metadata'] = [];
  const previous = memory?.previousTimestamp;
  for (const metric of metrics) {
    const family =
      metric.type === 'counter' && !metric.name.endsWith('_total') ? `${metric.name}_total` : metric.name;
    metadata.push({ type: METADATA_TYPE[metric.type] ?? 0, metricFamilyName: family, help: metric.help });
    const cumulative = metric.type === 'counter' || metric.type === 'histogram';
    for (const v of metric.values) {
      const name = v.metricName ?? family;
      const labels: RemoteWriteLabel[] = [{ name: '__name__', value: name }];
      for (const [key, value] of Object.entries(v.labels)) {
        const text = String(value);
        if (text !== '') labels.push({ name: key, value: text });
      }
      labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const sample = { value: v.value, timestamp };
      const key = cumulative && memory ? labels.map((l) => `${l.name}=${l.value}`).join('\u0000') : '';
      if (key && !memory?.seen.has(key)) {
        memory?.seen.add(key);
        if (previous !== undefined) {
          timeseries.push({ labels, samples: [{ value: 0, timestamp: previous }, sample] });
          continue;
        }
      }
      timeseries.push({ labels, samples: [sample] });
    }
  }
  if (memory) memory.previousTimestamp = timestamp;
  return { timeseries, metadata };
}

/** The HTTP body: the protobuf message, snappy block-compressed (not the framed format). */
export function encodeWriteRequest(request: RemoteWriteRequest): Uint8Array {
  return compress(WRITE_REQUEST.encode(WRITE_REQUEST.fromObject(request)).finish());
}

/** The inverse, for tests and debugging. */
export function decodeWriteRequest(body: Uint8Array): RemoteWriteRequest {
  const message = WRITE_REQUEST.decode(uncompress(body));
  return WRITE_REQUEST.toObject(message, { longs: Number, defaults: true }) as RemoteWriteRequest;
}

/**
 * The endpoint's Authorization header, from env only (k6 reads K6_PROMETHEUS_RW_BEARER_TOKEN,
 * K6_PROMETHEUS_RW_USERNAME and K6_PROMETHEUS_RW_PASSWORD alike): a bearer token, else basic
 * credentials, else none. Each secret may also come from a file named by `<NAME>_FILE`.
 */
export function remoteWriteAuth(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const token = readSecret('POC_PROMETHEUS_RW_BEARER_TOKEN', env);
  if (token !== undefined) return { authorization: `Bearer ${token}` };
  const user = env.POC_PROMETHEUS_RW_USERNAME;
  if (user === undefined || user === '') return {};
  const password = requireSecret('POC_PROMETHEUS_RW_PASSWORD', env);
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

export interface RemoteWriteOptions {
  /** The receiver, e.g. http://127.0.0.1:9090/api/v1/write. */
  readonly url: string;
  /** Push period; k6's default too. */
  readonly intervalMs?: number;
  /** Extra request headers (Authorization): never logged. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request; the final flush on Ctrl-C must not hang the exit. */
  readonly timeoutMs?: number;
  /** Runs before each collection, to refresh gauges that are read rather than counted. */
  readonly beforeCollect?: () => void;
  readonly log: Logger;
}

export interface RemoteWriteStats {
  /** Requests the endpoint accepted. */
  readonly pushes: number;
  /** Requests that failed (each retry counts). */
  readonly failures: number;
  /** Samples in the accepted requests. */
  readonly samples: number;
}

export interface RemoteWrite {
  /** Stops the timer and sends a last snapshot, so a run shorter than the interval still lands. */
  stop(): Promise<void>;
  stats(): RemoteWriteStats;
}

/**
 * Streams a registry to a Prometheus remote-write endpoint, as k6's Prometheus output does: a
 * snapshot at start (the zero that rate() needs), one every interval, and a final one at stop.
 * Counters are cumulative, so a failed push loses nothing but resolution: the next one carries
 * the totals. Endpoint errors are logged once per kind and counted; they never fail the run.
 */
export function startRemoteWrite(registry: Registry, options: RemoteWriteOptions): RemoteWrite {
  const intervalMs = options.intervalMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const seenErrors = new Set<string>();
  let pushes = 0;
  let failures = 0;
  let samples = 0;
  let lastTimestamp = 0;
  const memory: SeriesMemory = { seen: new Set(), previousTimestamp: undefined };
  let inFlight: Promise<void> | undefined;

  const fail = (kind: string, detail: string) => {
    failures++;
    if (seenErrors.has(kind)) return;
    seenErrors.add(kind);
    options.log.warn(
      { url: options.url, error: detail },
      'prometheus remote-write: push failed (the run goes on; later pushes carry the totals)',
    );
  };

  /** 'retry' for what the spec says is worth resending: network errors, 5xx and 429. */
  const send = async (body: Uint8Array): Promise<'ok' | 'retry' | 'refused'> => {
    try {
      const res = await fetch(options.url, {
        method: 'POST',
        headers: {
          ...options.headers,
          'content-encoding': 'snappy',
          'content-type': 'application/x-protobuf',
          'user-agent': 'poc-remote-write/0.1',
          'x-prometheus-remote-write-version': '0.1.0',
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text().catch(() => '');
      if (res.ok) return 'ok';
      fail(`http ${res.status}`, `HTTP ${res.status}: ${text.slice(0, 200)}`);
      return res.status >= 500 || res.status === 429 ? 'retry' : 'refused';
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const code = e.cause?.code ?? e.name;
      fail(code, `${code}: ${e.cause ? String(e.cause) : e.message}`);
      return 'retry';
    }
  };

  const push = async (attempts: number): Promise<void> => {
    try {
      options.beforeCollect?.();
      // Strictly increasing: two samples of one series at the same millisecond are refused.
      const timestamp = Math.max(Date.now(), lastTimestamp + 1);
      lastTimestamp = timestamp;
      const request = toWriteRequest(
        (await registry.getMetricsAsJSON()) as unknown as MetricJson[],
        timestamp,
        memory,
      );
      const body = encodeWriteRequest(request);
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const outcome = await send(body);
        if (outcome === 'ok') {
          pushes++;
          samples += request.timeseries.length;
        }
        if (outcome !== 'retry') break;
        if (attempt < attempts) await new Promise((r) => setTimeout(r, 250 * attempt));
      }
    } catch (err) {
      fail('encode', (err as Error).message);
    }
  };

  const tick = () => {
    // A slow endpoint must not pile up requests: skip the tick while one is out.
    if (inFlight) return;
    inFlight = push(1).finally(() => {
      inFlight = undefined;
    });
  };

  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      // The last snapshot holds the run's totals: worth a couple of retries, within one overall
      // deadline, so a dead endpoint cannot hold a finished (or interrupted) run's exit.
      let deadline: NodeJS.Timeout | undefined;
      const flushed = (async () => {
        await inFlight;
        await push(3);
      })();
      await Promise.race([
        flushed,
        new Promise<void>((resolve) => {
          deadline = setTimeout(() => {
            fail('deadline', `final flush abandoned after ${timeoutMs + 2000} ms`);
            resolve();
          }, timeoutMs + 2000);
          deadline.unref();
        }),
      ]);
      clearTimeout(deadline);
      if (failures > 0) {
        options.log.warn(
          { url: options.url, failures, pushes },
          'prometheus remote-write: some pushes failed',
        );
      }
    },
    stats: () => ({ pushes, failures, samples }),
  };
}
