import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

interface Compared {
  findings: { key: string; verdict: string; a?: number; b?: number }[];
}

describe('poc compare', () => {
  const data = tempDir('poc-compare-');
  afterAll(() => data.remove());

  const storm = async (extra: string[]) => {
    const r = await runCli([
      'run',
      'webhook-storm',
      '--vendor',
      'hubspot',
      '--rate',
      '300',
      '--duration',
      '4s',
      '--json',
      '--data-dir',
      data.path,
      ...extra,
    ]);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { runId: string }).runId;
  };

  it('reports +50 ms of vendor latency as a latency regression and nothing else as worse', async () => {
    const a = await storm([]);
    const b = await storm(['--fault', 'latency=50ms']);
    const result = await runCli(['compare', a, b, '--json', '--data-dir', data.path]);
    expect(result.code, result.stderr).toBe(0);
    const rows = (JSON.parse(result.stdout) as Compared).findings;
    const worse = rows.filter((r) => r.verdict === 'worse').map((r) => r.key);
    expect(worse).toContain('webhook.latency_p50_ms');
    expect(
      worse.every((k) => k.endsWith('_ms')),
      worse.join(', '),
    ).toBe(true);
    const loss = rows.find((r) => r.key === 'webhook.loss_count');
    expect(loss?.verdict).toBe('same');
    const table = await runCli(['compare', a, b, '--data-dir', data.path]);
    expect(table.stdout).toMatch(/webhook\.latency_p50_ms +[\d.]+ +[\d.]+ +\+[\d.]+ +worse/);
    expect(table.stdout).toMatch(/^b is worse on: .*webhook\.latency_p50_ms/m);
  });

  it('names a run that is not in the store', async () => {
    const r = await runCli(['compare', 'nope-a', 'nope-b', '--data-dir', data.path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('POC_ERR_RUN_NOT_FOUND');
  });
});
