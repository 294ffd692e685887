import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

interface StormJson {
  status: string;
  target: string;
  findings: Record<string, { value: number; unit: string }>;
}

describe('poc run webhook-storm --vendor salesforce (the CLI as a user runs it)', () => {
  const data = tempDir('poc-e2e-sf-');
  afterAll(() => data.remove());

  it('holds 300 events/s for 5 s through Outbound Messages: no loss, no duplicate applied', async () => {
    expect.assertions(7);
    const result = await runCli([
      'run',
      'webhook-storm',
      '--vendor',
      'salesforce',
      '--rate',
      '300',
      '--duration',
      '5s',
      '--json',
      '--data-dir',
      data.path,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as StormJson;
    const f = (key: string) => json.findings[key]?.value ?? Number.NaN;
    expect(json.target).toBe('mock (salesforce profile)');
    expect(json.status).toBe('passed');
    expect(f('webhook.loss_count')).toBe(0);
    expect(f('webhook.duplicates_applied_count')).toBe(0);
    // The API path stays within the derived per-minute budget; the firehose carries the rest.
    expect(f('webhook.api_rate_per_s')).toBeLessThan(300);
    expect(f('webhook.events_sent_count')).toBeGreaterThan(1000);
  });
});
