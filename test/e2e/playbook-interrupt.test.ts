import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

const PLAN = `
vendors: { hubspot: , pipedrive: }
scenarios:
  signature-check:
  webhook-storm: { rate: 50, duration: 20s, grace: 5s, poolSize: 100 }
outputs: { dir: out }
`;

describe('Ctrl-C during poc playbook', () => {
  const dir = tempDir('poc-e2e-playbook-int-');
  afterAll(() => dir.remove());

  it('stores the run it stopped, writes the outputs for what ran, exits 130 and says how to resume', async () => {
    writeFileSync(join(dir.path, 'poc.yaml'), PLAN);
    const child = spawnCli(['playbook'], { cwd: dir.path });
    let stderr = '';
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the storm never started:\n${stderr}`)), 300_000);
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        // The first vendor's storm (run 2 of 4) under way: 20 s of load to cut short.
        if (/\[2\/4 hubspot × webhook-storm storm\]/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code, stderr).toBe(130);
    expect(stdout).toMatch(/interrupted: continue with {2}poc playbook \S+ --resume pb-/);
    expect(stdout).toMatch(/1 passed, 1 aborted, 2 pending/);
    expect(existsSync(join(dir.path, 'out', 'overview.html'))).toBe(true);
    expect(existsSync(join(dir.path, 'out', 'summary.md'))).toBe(true);
    const list = await runCli(['list', 'playbooks', '--json', '--data-dir', join(dir.path, '.poc')]);
    const [playbook] = JSON.parse(list.stdout) as { status: string; byStatus: Record<string, number> }[];
    expect(playbook).toMatchObject({ status: 'interrupted', byStatus: { passed: 1, aborted: 1 } });
  }, 400_000);
});
