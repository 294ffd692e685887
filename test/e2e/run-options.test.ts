import { describe, expect, it } from 'vitest';
import { poc, runCli, takenPort } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

/** `poc run` options come from each scenario's schema: help, defaults and refusals alike. */
describe('poc run options, generated from the scenario', () => {
  it('refuses an option of another scenario with exit 2, naming the flag and where it belongs', async () => {
    const result = await runCli(['run', 'signature-check', '--vendor', 'hubspot', '--rate', '5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error POC_ERR_BAD_OPTION: --rate: does not apply to signature-check (it is an option of webhook-storm); drop it',
    );
  });

  it('reports every problem of one command line at once', async () => {
    const result = await runCli(
      poc`run webhook-storm --vendor hubspot --rate fast --duration ten --history 30d --receiver-port 99999`,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('4 problems:');
    for (const line of [
      '--rate: "fast" is not a number',
      '--duration: "ten" is not a duration',
      '--history: does not apply to webhook-storm (it is an option of replay-backfill); drop it',
      '--receiver-port: "99999" must be an integer from 0 to 65535',
    ])
      expect(result.stderr).toContain(line);
  });

  it('lists a scenario’s own options first, with the defaults its schema holds, and not the others’', async () => {
    const help = await runCli(['run', 'replay-backfill', '--help']);
    expect(help.code).toBe(0);
    const options = help.stdout.split('\n').filter((l) => /^ {2}--/.test(l));
    expect(options[0]).toMatch(/^ {2}--history <time> +simulated history before the outage \(default:$/);
    expect(help.stdout).toMatch(/--outage <time> +how long the receiver is down \(default: 10m\)/);
    expect(help.stdout).toMatch(/--time-scale <n>[\s\S]*?\[mock only\][\s\S]*?\(default: 600\)/);
    expect(help.stdout).not.toContain('--pool-size');
    expect(help.stdout).toContain('reconcile.missing_count');
    const storm = await runCli(['run', 'webhook-storm', '--help']);
    expect(storm.stdout).toMatch(/--time-scale <n>[\s\S]*?\(default: 100\)/);
    expect(storm.stdout).not.toContain('--history');
  });

  it('refuses a vendor’s own option on another vendor (mock-vendor and receiver)', async () => {
    const mock = await runCli(['mock-vendor', '--vendor', 'zoho', '--signature-version', 'v2']);
    expect(mock.code).toBe(2);
    expect(mock.stderr).toContain('--signature-version: applies to hubspot only, not zoho; drop it');
    const receiver = await runCli(['receiver', '--vendor', 'salesforce', '--accept-legacy-signatures']);
    expect(receiver.code).toBe(2);
    expect(receiver.stderr).toContain('--accept-legacy-signatures: applies to hubspot only, not salesforce');
    const help = await runCli(['mock-vendor', '--help']);
    expect(help.stdout).toMatch(
      /--signature-version <v> +webhook signature scheme the mock sends \[hubspot\s+only\]/,
    );
  });

  it('stores the resolved config, defaults included, as the run ran it', async () => {
    const data = tempDir();
    try {
      const run = await runCli(poc`run signature-check --vendor hubspot --json --data-dir ${data.path}`);
      expect(run.code, run.stderr).toBe(0);
      const { runId } = JSON.parse(run.stdout) as { runId: string };
      const shown = await runCli(['show', runId, '--json', '--data-dir', data.path]);
      const { config } = JSON.parse(shown.stdout) as { config: Record<string, unknown> };
      expect(config).toMatchObject({
        scenario: 'signature-check',
        vendor: 'hubspot',
        live: false,
        timeScale: 100,
        faults: [],
        thresholds: [],
        receiverPort: 0,
        dataDir: data.path,
        prometheusRwInterval: 5000,
        options: {},
      });
      expect(config).not.toHaveProperty('rate');
    } finally {
      data.remove();
    }
  });

  it('names the flag a bad port came from, and the hint does too', async () => {
    const server = await takenPort();
    const data = tempDir();
    try {
      const { port } = server;
      const taken = await runCli(
        poc`run signature-check --vendor hubspot --receiver-port ${port} --data-dir ${data.path}`,
      );
      expect(taken.code).toBe(2);
      expect(taken.stderr).toContain(`error POC_ERR_PORT_IN_USE: --receiver-port: ${port} is already in use`);
      expect(taken.stderr).toContain('hint: Give the option named in the message another port');
    } finally {
      server.close();
      data.remove();
    }
  });

  it('refuses a record count no CRM holds', async () => {
    const plan = await runCli(['plan', 'migration', '--vendor', 'hubspot', '--records', '1e30']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain('--records: "1e30" must be a whole number from 1 to 10^12');
  });
});
