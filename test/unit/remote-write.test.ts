import { Counter, Histogram, Registry } from 'prom-client';
import { uncompress } from 'snappyjs';
import { describe, expect, it } from 'vitest';
import {
  decodeWriteRequest,
  encodeWriteRequest,
  type SeriesMemory,
  toWriteRequest,
} from '../../harness/telemetry/remote-write.js';

type Json = Parameters<typeof toWriteRequest>[0];
const snapshot = async (r: Registry) => (await r.getMetricsAsJSON()) as unknown as Json;
const names = (labels: { name: string; value: string }[]) => labels.map((l) => `${l.name}=${l.value}`);

describe('remote-write encoding', () => {
  it('is prometheus.WriteRequest on the wire, snappy block-compressed', () => {
    const body = encodeWriteRequest({
      timeseries: [{ labels: [{ name: '__name__', value: 'a' }], samples: [{ value: 1, timestamp: 2 }] }],
      metadata: [],
    });
    // Hand-assembled from prompb/types.proto: WriteRequest.timeseries(1) > TimeSeries.labels(1)
    // {name(1) "__name__", value(2) "a"}, TimeSeries.samples(2) {value(1) double 1.0, timestamp(2) 2}.
    const label = [0x0a, 8, ...Buffer.from('__name__'), 0x12, 1, ...Buffer.from('a')];
    const sample = [0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 2];
    const series = [0x0a, label.length, ...label, 0x12, sample.length, ...sample];
    const expected = [0x0a, series.length, ...series];
    // Snappy's block format starts with the uncompressed length as a varint (no stream framing).
    expect(body[0]).toBe(expected.length);
    expect([...uncompress(body)]).toEqual(expected);
  });

  it('names series as Prometheus stores them and keeps the run labels on each', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ run_id: 'r1', vendor: 'hubspot', scenario: 'webhook-storm', target: 'mock' });
    const jobs = new Counter({ name: 'jobs', help: 'h', labelNames: ['reason'], registers: [registry] });
    jobs.inc({ reason: '' }, 3);
    const latency = new Histogram({ name: 'x_seconds', help: 'h', buckets: [0.1], registers: [registry] });
    latency.observe(0.05);

    const request = toWriteRequest(await snapshot(registry), 1000);
    const decoded = decodeWriteRequest(encodeWriteRequest(request));
    const series = decoded.timeseries.map((s) => [names(s.labels).join(','), s.samples[0]?.value]);
    expect(series).toEqual([
      // Counter without _total gets it; an empty label value is no label; labels sorted by name.
      ['__name__=jobs_total,run_id=r1,scenario=webhook-storm,target=mock,vendor=hubspot', 3],
      ['__name__=x_seconds_bucket,le=0.1,run_id=r1,scenario=webhook-storm,target=mock,vendor=hubspot', 1],
      ['__name__=x_seconds_bucket,le=+Inf,run_id=r1,scenario=webhook-storm,target=mock,vendor=hubspot', 1],
      ['__name__=x_seconds_sum,run_id=r1,scenario=webhook-storm,target=mock,vendor=hubspot', 0.05],
      ['__name__=x_seconds_count,run_id=r1,scenario=webhook-storm,target=mock,vendor=hubspot', 1],
    ]);
    expect(decoded.timeseries[0]?.samples[0]?.timestamp).toBe(1000);
    expect(decoded.metadata.map((m) => [m.metricFamilyName, m.type])).toEqual([
      ['jobs_total', 1],
      ['x_seconds', 3],
    ]);
  });

  it('gives a counter born mid-run a 0 at the previous snapshot, so rate() has two points', async () => {
    const registry = new Registry();
    const calls = new Counter({
      name: 'calls_total',
      help: 'h',
      labelNames: ['status'],
      registers: [registry],
    });
    const memory: SeriesMemory = { seen: new Set(), previousTimestamp: undefined };
    calls.inc({ status: '200' });
    expect(toWriteRequest(await snapshot(registry), 1000, memory).timeseries[0]?.samples).toEqual([
      { value: 1, timestamp: 1000 },
    ]);
    calls.inc({ status: '429' }, 2);
    const second = toWriteRequest(await snapshot(registry), 2000, memory).timeseries;
    expect(second.map((s) => s.samples)).toEqual([
      [{ value: 1, timestamp: 2000 }],
      [
        { value: 0, timestamp: 1000 },
        { value: 2, timestamp: 2000 },
      ],
    ]);
  });
});
