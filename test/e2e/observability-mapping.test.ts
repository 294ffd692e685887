import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

interface RunJson {
  status: string;
  target: string;
  findings: Record<string, { value: number; unit: string }>;
  checks: { key: string; passed: boolean }[];
  notes: string[];
  tables: { title: string; rows: string[][] }[];
}

const NO_OTEL = {
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
  OTEL_TRACES_EXPORTER: '',
};

async function mapping(vendor: string, changes: number, data: string, extra: string[] = []) {
  const result = await runCli(
    [
      'run',
      'observability-mapping',
      '--vendor',
      vendor,
      '--changes',
      String(changes),
      '--grace',
      '20s',
      '--json',
      '--data-dir',
      data,
      ...extra,
    ],
    { env: NO_OTEL },
  );
  return { ...result, json: result.stdout ? (JSON.parse(result.stdout) as RunJson) : undefined };
}

describe('poc run observability-mapping (the CLI as a user runs it)', () => {
  const data = tempDir('poc-e2e-obs-');
  afterAll(() => data.remove());

  it('hubspot: every event correlated to its write, no trace context propagated, ids unique, logs documented', async () => {
    expect.assertions(12);
    const { code, stderr, json } = await mapping('hubspot', 50, data.path);
    expect(code, stderr).toBe(0);
    const f = (key: string) => json?.findings[key]?.value;
    expect(json?.status).toBe('passed');
    expect(f('observability.events_sent_count')).toBe(50);
    expect(f('observability.events_received_count')).toBe(50);
    expect(f('observability.correlated_ratio')).toBe(1);
    expect(f('observability.events_processed_count')).toBe(50);
    // HubSpot sends no traceparent on webhooks; the emulation is faithful to that.
    expect(f('observability.propagates_trace_context')).toBe(0);
    expect(f('observability.event_ids_present')).toBe(1);
    expect(f('observability.event_ids_unique')).toBe(1);
    expect(f('observability.vendor_delivery_visibility_level')).toBe(2);
    const logs = json?.tables.find((t) => t.title.startsWith('Vendor-side delivery'));
    expect(logs?.rows.map((r) => r[5])).toEqual(['not emulated by the mock', 'not emulated by the mock']);
    expect(json?.notes.some((n) => n.includes('did not send the traceparent'))).toBe(true);
  });

  it('zoho (unsigned, token echoed in the body): correlated through the record field all the same', async () => {
    expect.assertions(6);
    const { code, stderr, json } = await mapping('zoho', 30, data.path);
    expect(code, stderr).toBe(0);
    const f = (key: string) => json?.findings[key]?.value;
    expect(f('observability.events_received_count')).toBe(30);
    expect(f('observability.correlated_ratio')).toBe(1);
    expect(f('observability.propagates_trace_context')).toBe(0);
    expect(f('observability.event_ids_unique')).toBe(1);
    expect(f('observability.vendor_delivery_visibility_level')).toBe(0);
  });

  it('pipedrive (one record per write): one trace per write, each event finds its own', async () => {
    expect.assertions(4);
    const { code, stderr, json } = await mapping('pipedrive', 8, data.path);
    expect(code, stderr).toBe(0);
    const f = (key: string) => json?.findings[key]?.value;
    expect(f('observability.writes_count')).toBe(8);
    expect(f('observability.events_correlated_count')).toBe(8);
    expect(f('observability.correlated_ratio')).toBe(1);
  });

  it('a threshold on trace-context propagation fails the run with exit 99', async () => {
    expect.assertions(3);
    const { code, json } = await mapping('hubspot', 5, data.path, [
      '--threshold',
      'observability.propagates_trace_context==1',
    ]);
    expect(code).toBe(99);
    expect(json?.status).toBe('failed');
    expect(json?.checks.find((c) => c.key === 'observability.propagates_trace_context')?.passed).toBe(false);
  });
});
