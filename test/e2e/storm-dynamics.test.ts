import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

interface StormJson {
  status: string;
  target: string;
  findings: Record<string, { value: number; unit: string }>;
}

describe('poc run webhook-storm --vendor dynamics (the CLI as a user runs it)', () => {
  const data = tempDir('poc-e2e-dynamics-');
  afterAll(() => data.remove());

  it('holds 300 events/s for 5 s against the Dataverse mock: no loss, no duplicate applied', async () => {
    expect.assertions(8);
    const result = await runCli([
      'run',
      'webhook-storm',
      '--vendor',
      'dynamics',
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
    expect(json.target).toBe('mock (dynamics profile)');
    expect(json.status).toBe('passed');
    expect(f('webhook.events_sent_count')).toBeGreaterThanOrEqual(1400);
    expect(f('webhook.loss_count')).toBe(0);
    expect(f('webhook.duplicates_applied_count')).toBe(0);
    // One record per PATCH, paced under the service protection limit: nothing was throttled.
    expect(f('api.rate_limited_count')).toBe(0);
    expect(f('webhook.rejected_count')).toBe(0);
  });
});
