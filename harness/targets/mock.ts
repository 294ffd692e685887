import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PocError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { readSecret } from '../secrets.js';
import type { VendorAdapter } from '../vendors/types.js';
import type { FirehoseInput, MockAdmin, Target } from './types.js';

export interface MockTargetOptions {
  readonly faults: readonly string[];
  readonly timeScale: number;
  /** Extra environment for the mock process (tests use it to set ground-truth settings). */
  readonly env?: Readonly<Record<string, string>>;
}

/** The mock needs Node's own settings and its log level, not the user's environment. */
function childEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const keep = Object.entries(env).filter(
    ([k, v]) =>
      v !== undefined &&
      (/^(PATH|HOME|TMPDIR|TEMP|TMP|LANG|LC_\w+|TZ|NODE_\w+|SYSTEMROOT)$/.test(k) ||
        k === 'POC_LOG_LEVEL' ||
        k === 'POC_MOCK_SETTINGS'),
  );
  return Object.fromEntries(keep) as Record<string, string>;
}

async function postJson(url: string, body: unknown, method = 'POST'): Promise<void> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok)
    throw new PocError(
      'POC_ERR_VENDOR_HTTP',
      `mock admin ${method} ${new URL(url).pathname}: ${res.status} ${text}`,
    );
}

/**
 * Starts `poc mock-vendor` in its own process (its own core: the receiver keeps this one) and
 * returns it as a Target. Credentials are random per run and passed through the environment.
 */
export async function startMockTarget(vendor: VendorAdapter, options: MockTargetOptions): Promise<Target> {
  // Random per run unless the user pins them (to point a vendor SDK or a receiver at the mock).
  const token = readSecret('POC_MOCK_TOKEN') ?? `pat-mock-${randomBytes(16).toString('hex')}`;
  const webhookSecret = readSecret('POC_MOCK_WEBHOOK_SECRET') ?? randomBytes(24).toString('base64url');
  const args = [
    join(packageRoot(), 'bin', 'poc.js'),
    'mock-vendor',
    '--vendor',
    vendor.profile.id,
    '--port',
    '0',
    '--time-scale',
    String(options.timeScale),
    '--ready-line',
    '--exit-with-stdin',
    ...options.faults.flatMap((f) => ['--fault', f]),
  ];
  // Its own process group, so a terminal Ctrl-C reaches only `poc run`, which then drains and
  // stops the mock itself; and only the variables it needs, never the user's live credentials.
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...childEnv(process.env),
      ...options.env,
      POC_MOCK_TOKEN: token,
      POC_MOCK_WEBHOOK_SECRET: webhookSecret,
    },
    // Its stdin is a pipe from this process: when this process dies, even by SIGKILL, the pipe
    // closes and the mock exits (harness/commands/mock-vendor.ts), so it is never left orphaned.
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  // Whatever ends this process (a second Ctrl-C, a crash), the mock must not outlive it.
  const killOnExit = () => {
    if (running()) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const fail = (why: string) => {
      killOnExit();
      reject(new PocError('POC_ERR_MOCK_START', `mock-vendor ${why}: ${stderr.trim()}`));
    };
    const timer = setTimeout(() => fail('did not report ready within 15 s'), 15_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        fail(`printed an unexpected first line "${line}"`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(`exited with code ${code}`);
    });
  });
  const admin: MockAdmin = {
    setFaults: (spec) => postJson(`${baseUrl}/__admin/faults`, { spec }, 'PUT'),
    startFaultClock: () => postJson(`${baseUrl}/__admin/fault-clock`, {}),
    firehose: (objectType: string, inputs: readonly FirehoseInput[], at?: number) =>
      postJson(`${baseUrl}/__admin/firehose`, { objectType, inputs, at }),
  };
  return {
    kind: 'mock',
    vendor,
    baseUrl,
    credentials: { token, webhookSecret },
    settings: {},
    timeScale: options.timeScale,
    admin,
    describe: () => `mock (${vendor.profile.id} emulation)`,
    async stop() {
      process.off('exit', killOnExit);
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(killOnExit, 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
