import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

interface StormJson {
  status: string;
  target: string;
  findings: Record<string, { value: number; unit: string }>;
}

describe('poc run webhook-storm --vendor pipedrive (the CLI as a user runs it)', () => {
  const data = tempDir('poc-e2e-pipedrive-');
  afterAll(() => data.remove());

  it('holds 300 events/s for 5 s against the Pipedrive mock: one event per POST, no loss, no duplicate applied', async () => {
    expect.assertions(8);
    const result = await runCli([
      'run',
      'webhook-storm',
      '--vendor',
      'pipedrive',
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
    expect(json.target).toBe('mock (pipedrive profile)');
    expect(json.status).toBe('passed');
    expect(f('webhook.loss_count')).toBe(0);
    expect(f('webhook.duplicates_applied_count')).toBe(0);
    expect(f('webhook.events_received_count')).toBeGreaterThanOrEqual(1400);
    // The API path paces on the search limit (10 per 2 s at 80 %): 4 upserts/s, two calls each.
    expect(f('webhook.api_rate_per_s')).toBe(4);
    expect(f('api.rate_limited_count')).toBe(0);
  });
});
