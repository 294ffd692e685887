import { describe, expect, it } from 'vitest';
import { runCli, spawnCli, waitForLine } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

describe('poc CLI', () => {
  it('answers --help for every command, with examples', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const cmd of ['run', 'list', 'show', 'mock-vendor', 'receiver']) expect(top.stdout).toContain(cmd);
    expect(top.stdout).toContain(
      'Exit codes: 0 ok, 1 run failed, 2 bad input, 99 a threshold failed, 130 interrupted',
    );
    for (const cmd of ['run', 'list', 'show', 'mock-vendor', 'receiver']) {
      const help = await runCli([cmd, '--help']);
      expect(help.code, cmd).toBe(0);
      expect(help.stdout, cmd).toContain('Examples:');
    }
  });

  it('lists scenarios and vendors', async () => {
    const scenarios = await runCli(['list', 'scenarios']);
    for (const id of [
      'webhook-storm',
      'rate-limit-probe',
      'replay-backfill',
      'signature-check',
      'observability-mapping',
    ])
      expect(scenarios.stdout).toMatch(new RegExp(`^${id}\\s{2}`, 'm'));
    expect(scenarios.stdout).toContain('webhook.latency_p99_ms');
    const vendors = await runCli(['list', 'vendors', '--json']);
    const hubspot = (
      JSON.parse(vendors.stdout) as { id: string; webhooks: { scheme: { value: string } } }[]
    ).find((v) => v.id === 'hubspot');
    expect(hubspot?.webhooks.scheme.value).toBe('hubspot-v3');
    const table = await runCli(['list', 'vendors']);
    expect(table.stdout).toMatch(/^hubspot — HubSpot$/m);
    expect(table.stdout).toMatch(/limits: +190\/10s ten_secondly_rolling \[verified\]/);
    expect(table.stdout).toContain('sources:    https://developers.hubspot.com/');
  });

  it.each([
    [
      ['run', 'webhook-storm', '--vendor', 'nope'],
      'POC_ERR_UNKNOWN_VENDOR',
      /--vendor: unknown vendor "nope"; known: hubspot/,
    ],
    [['run', 'no-such', '--vendor', 'hubspot'], 'POC_ERR_UNKNOWN_SCENARIO', /unknown scenario "no-such"/],
    [
      ['run', 'webhook-storm', '--vendor', 'hubspot', '--duration', 'ten'],
      'POC_ERR_BAD_OPTION',
      /--duration: "ten" is not a duration/,
    ],
    [
      ['run', 'webhook-storm', '--vendor', 'hubspot', '--rate', '-5'],
      'POC_ERR_BAD_OPTION',
      /--rate: "-5" must be a positive number/,
    ],
    [
      ['run', 'webhook-storm', '--vendor', 'hubspot', '--fault', 'boom=1'],
      'POC_ERR_BAD_OPTION',
      /unknown fault "boom"/,
    ],
    [
      ['run', 'webhook-storm', '--vendor', 'hubspot', '--threshold', 'fast'],
      'POC_ERR_BAD_THRESHOLD',
      /--threshold: "fast"/,
    ],
    [
      ['run', 'webhook-storm', '--vendor', 'hubspot', '--pool-size', '5'],
      'POC_ERR_BAD_OPTION',
      /--pool-size: Too small: expected number to be >=100/,
    ],
    [
      ['run', 'rate-limit-probe', '--vendor', 'hubspot', '--max-requests', '5'],
      'POC_ERR_BAD_OPTION',
      /--max-requests: needs at least 20 requests/,
    ],
    [
      ['run', 'webhook-storm', '--vendor', 'hubspot', '--live'],
      'POC_ERR_BAD_OPTION',
      /--public-url: a live vendor cannot reach 127.0.0.1/,
    ],
    [
      [
        'run',
        'webhook-storm',
        '--vendor',
        'hubspot',
        '--live',
        '--public-url',
        'https://tunnel.example/webhooks/hubspot',
      ],
      'POC_ERR_MISSING_CREDENTIALS',
      /POC_HUBSPOT_ACCESS_TOKEN is not set/,
    ],
    [
      ['show', 'no-such-run', '--data-dir', '.poc-none'],
      'POC_ERR_RUN_NOT_FOUND',
      /no run with id "no-such-run"/,
    ],
  ])('%j exits 2 with %s naming the problem', async (args, code, message) => {
    const env = { POC_HUBSPOT_ACCESS_TOKEN: '', POC_HUBSPOT_CLIENT_SECRET: '' };
    const dir = tempDir();
    try {
      const result = await runCli(args, { env, cwd: dir.path });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`error ${code}:`);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/hint: /);
    } finally {
      dir.remove();
    }
  });

  it('Ctrl-C stops the storm, keeps what was measured, stores the run as aborted and exits 130', async () => {
    const data = tempDir();
    try {
      const child = spawnCli([
        'run',
        'webhook-storm',
        '--vendor',
        'hubspot',
        '--rate',
        '500',
        '--duration',
        '60s',
        '--json',
        '--data-dir',
        data.path,
      ]);
      let stdout = '';
      child.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      // Wait until the storm is under way (plain progress lines every 5 s on a non-TTY).
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no progress line: ${stderr}`)), 30_000);
        const check = setInterval(() => {
          if (/\[storm\]/.test(stderr)) {
            clearInterval(check);
            clearTimeout(timer);
            resolve();
          }
        }, 50);
      });
      child.kill('SIGINT');
      const code = await new Promise<number | null>((r) => child.once('close', r));
      expect(code).toBe(130);
      expect(stderr).toContain('interrupted');
      const json = JSON.parse(stdout) as {
        status: string;
        runId: string;
        findings: Record<string, { value: number }>;
      };
      expect(json.status).toBe('aborted');
      expect(json.findings['webhook.events_sent_count']?.value).toBeGreaterThan(0);
      const shown = await runCli(['show', json.runId, '--json', '--data-dir', data.path]);
      expect(JSON.parse(shown.stdout).status).toBe('aborted');
    } finally {
      data.remove();
    }
  });

  it('mock-vendor runs standalone and writes generated credentials to a private file', async () => {
    const data = tempDir();
    const child = spawnCli(['mock-vendor', '--vendor', 'hubspot', '--port', '0', '--data-dir', data.path], {
      env: { POC_MOCK_TOKEN: '', POC_MOCK_WEBHOOK_SECRET: '' },
    });
    try {
      const line = await waitForLine(child, /listening on/);
      const url = /listening on (\S+)/.exec(line)?.[1] ?? '';
      const health = await fetch(`${url}/__admin/health`);
      expect(await health.json()).toEqual({ ok: true, vendor: 'hubspot' });
      const { statSync, readFileSync } = await import('node:fs');
      const file = `${data.path}/mock-credentials.json`;
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const { token } = JSON.parse(readFileSync(file, 'utf8')) as { token: string };
      const res = await fetch(`${url}/crm/v3/objects/contacts`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      data.remove();
    }
  });

  it('doctor checks token, scopes and API access, and names what is missing', async () => {
    const ok = await runCli(['doctor', '--vendor', 'hubspot']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('✓ scopes: has crm.objects.contacts.read, crm.objects.contacts.write');
    const narrow = await runCli(['doctor', '--vendor', 'hubspot'], {
      env: { POC_MOCK_SETTINGS: JSON.stringify({ scopes: ['crm.objects.contacts.read'] }) },
    });
    expect(narrow.code).toBe(1);
    expect(narrow.stdout).toContain(
      '✗ scopes: missing crm.objects.contacts.write: add them to the private app',
    );
    const live = await runCli(['doctor', '--vendor', 'hubspot', '--live'], {
      env: { POC_HUBSPOT_ACCESS_TOKEN: '', POC_HUBSPOT_CLIENT_SECRET: 'set-but-secret-value' },
    });
    expect(live.code).toBe(2);
    expect(live.stdout).toContain('✗ credentials: POC_HUBSPOT_ACCESS_TOKEN is not set');
    expect(live.stdout).toContain('✓ credentials: POC_HUBSPOT_CLIENT_SECRET is set');
    expect(live.stdout + live.stderr).not.toContain('set-but-secret-value');
  });

  it('plans a migration with its arithmetic, and rejects unknown object types', async () => {
    const dir = tempDir();
    try {
      const plan = await runCli([
        'plan',
        'migration',
        '--vendor',
        'hubspot',
        '--records',
        '2000000',
        '--data-dir',
        dir.path,
      ]);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toMatch(
        /API calls +20,000 +1 object type\(s\) × ⌈2,000,000 records \/ 100 per batch call⌉/,
      );
      expect(plan.stdout).toContain('verdict: fits in one day');
      const bad = await runCli([
        'plan',
        'migration',
        '--vendor',
        'hubspot',
        '--records',
        '10',
        '--objects',
        'tickets',
        '--data-dir',
        dir.path,
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--objects: "tickets" is not a list of contacts, companies, deals');
    } finally {
      dir.remove();
    }
  });

  it.each(['hubspot', 'salesforce', 'pipedrive', 'zoho', 'dynamics', 'standard'])(
    'plans 2,000,000 contacts on %s with the arithmetic shown',
    async (vendor) => {
      const dir = tempDir();
      try {
        const plan = await runCli([
          'plan',
          'migration',
          '--vendor',
          vendor,
          '--records',
          '2000000',
          '--data-dir',
          dir.path,
        ]);
        expect(plan.code, plan.stderr).toBe(0);
        expect(plan.stdout).toMatch(
          /API calls +[\d,]+ +1 object type\(s\) × ⌈2,000,000 records \/ \d+ per batch call⌉/,
        );
        expect(plan.stdout).toMatch(/sustained rate +[\d.]+ req\/s +\d+ requests \/ [\d.]+ s documented \(/);
        expect(plan.stdout).toMatch(/^verdict: (fits in one day|takes \d+ days at this pace)$/m);
      } finally {
        dir.remove();
      }
    },
  );
});
