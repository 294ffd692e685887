import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

interface StormJson {
  status: string;
  target: string;
  findings: Record<string, { value: number; unit: string }>;
}

describe('poc run webhook-storm --vendor zoho (the CLI as a user runs it)', () => {
  const data = tempDir('poc-e2e-zoho-');
  afterAll(() => data.remove());

  it('holds 300 events/s for 5 s through Zoho upserts and notifications: no loss, no duplicate applied', async () => {
    expect.assertions(7);
    const result = await runCli([
      'run',
      'webhook-storm',
      '--vendor',
      'zoho',
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
    expect(json.target).toBe('mock (zoho profile)');
    expect(json.status).toBe('passed');
    expect(f('webhook.loss_count')).toBe(0);
    expect(f('webhook.duplicates_applied_count')).toBe(0);
    // 300 events/s fit in the API path: 80 % of the concurrency-derived 15 calls/s, 25 per upsert.
    expect(f('webhook.events_sent_count')).toBeGreaterThanOrEqual(1480);
    expect(f('api.rate_limited_count')).toBe(0);
  });
});
