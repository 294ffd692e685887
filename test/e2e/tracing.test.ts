import { createServer } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { type ReceivedSpan, startOtlpCollector } from '../helpers/otlp-collector.js';
import { tempDir } from '../helpers/servers.js';

// Known credentials for the mock, so the exported spans can be searched for them.
const TOKEN = 'pat-tracing-e2e-7f3a9c2b41d84e6a';
const WEBHOOK_SECRET = 'whsec-tracing-e2e-c81d2e9f0b7a4435';
const CREDENTIALS = { POC_MOCK_TOKEN: TOKEN, POC_MOCK_WEBHOOK_SECRET: WEBHOOK_SECRET };
/** Blank values stand for "unset" (runCli merges into the test's own environment). */
const NO_OTEL = {
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
  OTEL_TRACES_EXPORTER: '',
  OTEL_SERVICE_NAME: '',
  OTEL_EXPORTER_OTLP_PROTOCOL: '',
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: '',
  OTEL_SDK_DISABLED: '',
};

interface RunJson {
  runId: string;
  status: string;
  findings: Record<string, { value: number }>;
}

/** The chain of span names from `span` up to its trace's root, following parent ids. */
function ancestry(span: ReceivedSpan, spans: readonly ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(spans.filter((s) => s.traceId === span.traceId).map((s) => [s.spanId, s]));
  const chain = [span];
  let current = span;
  while (current.parentSpanId !== '' && byId.has(current.parentSpanId)) {
    current = byId.get(current.parentSpanId) as ReceivedSpan;
    chain.push(current);
  }
  return chain;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('OpenTelemetry traces exported over OTLP/HTTP (the CLI as a user runs it)', () => {
  const data = tempDir('poc-e2e-tracing-');
  let collector: Awaited<ReturnType<typeof startOtlpCollector>> | undefined;
  afterEach(async () => {
    await collector?.close();
    collector = undefined;
  });
  afterAll(() => data.remove());

  it('one trace runs from the API write to the processed event, with crm.* attributes and no secret', async () => {
    expect.assertions(19);
    collector = await startOtlpCollector();
    const result = await runCli(
      [
        'run',
        'observability-mapping',
        '--vendor',
        'hubspot',
        '--changes',
        '20',
        '--grace',
        '15s',
        '--json',
        '--data-dir',
        data.path,
      ],
      {
        env: {
          ...NO_OTEL,
          ...CREDENTIALS,
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.address,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_SERVICE_NAME: 'poc-e2e',
        },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as RunJson;
    expect(json.findings['observability.correlated_ratio']?.value).toBe(1);
    const spans = collector.spans;
    expect(collector.contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
    expect(new Set(spans.map((s) => s.serviceName))).toEqual(new Set(['poc-e2e']));

    const processed = spans.filter((s) => s.name === 'crm.event.process');
    expect(processed).toHaveLength(20);
    // Every processed event sits in the trace of the write that caused it.
    const chains = processed.map((p) => ancestry(p, spans).map((s) => s.name));
    expect(
      chains.every(
        (c) =>
          c.join(' < ') ===
          'crm.event.process < crm.vendor.event < crm.api.write < observability-mapping.write',
      ),
    ).toBe(true);

    const sample = processed[0] as ReceivedSpan;
    expect(sample.attributes['crm.vendor']).toBe('hubspot');
    expect(sample.attributes['crm.event_type']).toBe('contact.propertyChange');
    expect(String(sample.attributes['crm.event_id'])).not.toBe('');
    const event = ancestry(sample, spans)[1] as ReceivedSpan;
    expect(event.attributes['crm.correlation']).toBe('record_field');
    expect(event.attributes['crm.event_id']).toBe(sample.attributes['crm.event_id']);
    const write = ancestry(sample, spans)[2] as ReceivedSpan;
    expect(write.attributes['poc.run_id']).toBe(json.runId);

    // The write's HTTP call is its child and reached the vendor.
    const request = spans.find(
      (s) => s.parentSpanId === write.spanId && s.name.startsWith('crm.api.request'),
    );
    expect(request?.attributes['http.response.status_code']).toBe(200);
    expect(String(request?.attributes['url.path'])).toContain('/batch/upsert');

    // The delivery's own span links back to the writes it carried, and holds verify and enqueue.
    const receive = spans.filter((s) => s.name === 'crm.webhook.receive');
    expect(receive.length).toBeGreaterThan(0);
    const writeSpanIds = new Set(spans.filter((s) => s.name === 'crm.api.write').map((s) => s.spanId));
    expect(receive.some((r) => r.links.some((l) => writeSpanIds.has(l.spanId)))).toBe(true);
    const childNames = new Set(
      spans.filter((s) => receive.some((r) => r.spanId === s.parentSpanId)).map((s) => s.name),
    );
    expect([...childNames].sort()).toEqual(['crm.inbox.enqueue', 'crm.webhook.verify']);

    const raw = Buffer.concat(collector.bodies).toString('utf8');
    expect(raw).not.toContain(TOKEN);
    expect(raw).not.toContain(WEBHOOK_SECRET);
  });

  it('a short webhook-storm exports protobuf (the OTLP default) and links its writes to processed events', async () => {
    expect.assertions(8);
    collector = await startOtlpCollector();
    const result = await runCli(
      [
        'run',
        'webhook-storm',
        '--vendor',
        'hubspot',
        '--rate',
        '100',
        '--duration',
        '2s',
        '--grace',
        '10s',
        '--json',
        '--data-dir',
        data.path,
      ],
      {
        env: {
          ...NO_OTEL,
          ...CREDENTIALS,
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.address}/v1/traces`,
        },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as RunJson;
    const received = json.findings['webhook.events_received_count']?.value ?? 0;
    expect(received).toBeGreaterThan(0);
    const spans = collector.spans;
    expect(collector.contentTypes.every((t) => t.startsWith('application/x-protobuf'))).toBe(true);
    const processed = spans.filter((s) => s.name === 'crm.event.process');
    expect(processed.length).toBe(received);
    const linked = processed.filter((p) => ancestry(p, spans).some((s) => s.name === 'crm.api.write'));
    expect(linked.length).toBe(received);
    expect(spans.some((s) => s.name === 'crm.webhook.receive')).toBe(true);
    const raw = Buffer.concat(collector.bodies);
    expect(raw.includes(TOKEN)).toBe(false);
    expect(raw.includes(WEBHOOK_SECRET)).toBe(false);
  });

  it('flushes the spans it holds when Ctrl-C stops a run', async () => {
    expect.assertions(3);
    collector = await startOtlpCollector();
    const child = spawnCli(
      [
        'run',
        'webhook-storm',
        '--vendor',
        'hubspot',
        '--rate',
        '100',
        '--duration',
        '60s',
        '--data-dir',
        data.path,
      ],
      {
        env: {
          ...NO_OTEL,
          ...CREDENTIALS,
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.address,
          // No batch is due before the run ends: only the shutdown flush can deliver these spans.
          OTEL_BSP_SCHEDULE_DELAY: '600000',
          OTEL_BSP_MAX_QUEUE_SIZE: '1000000',
          OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1000000',
        },
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    await new Promise((r) => setTimeout(r, 4000));
    expect(collector.bodies).toHaveLength(0);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(collector.spans.some((s) => s.name === 'crm.event.process')).toBe(true);
  });

  it('exports nothing without OTEL_* variables, not even to the default localhost:4318', async () => {
    expect.assertions(3);
    // On 4318 when free: an SDK left on its own defaults would post there.
    collector = await startOtlpCollector((await portFree(4318)) ? 4318 : 0);
    const result = await runCli(
      [
        'run',
        'observability-mapping',
        '--vendor',
        'hubspot',
        '--changes',
        '10',
        '--grace',
        '10s',
        '--json',
        '--data-dir',
        data.path,
      ],
      { env: { ...NO_OTEL, ...CREDENTIALS } },
    );
    expect(result.code, result.stderr).toBe(0);
    // Correlation still works in-process: the scenario makes its spans without exporting them.
    expect((JSON.parse(result.stdout) as RunJson).findings['observability.correlated_ratio']?.value).toBe(1);
    expect(collector.bodies).toHaveLength(0);
  });

  it('refuses an OTLP protocol it cannot speak, naming the variable', async () => {
    expect.assertions(2);
    const result = await runCli(['run', 'webhook-storm', '--vendor', 'hubspot', '--data-dir', data.path], {
      env: {
        ...NO_OTEL,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" is not supported');
  });
});
