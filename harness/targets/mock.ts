import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PocError } from '../errors.js';
import type { RecordInput, VendorAdapter } from '../vendors/types.js';
import type { MockAdmin, Target } from './types.js';

export interface MockTargetOptions {
  readonly faults: readonly string[];
  readonly timeScale: number;
  /** Extra environment for the mock process (tests use it to set ground-truth settings). */
  readonly env?: Readonly<Record<string, string>>;
}

/** The folder holding package.json and bin/poc.js, from the sources or from dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'bin', 'poc.js'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find bin/poc.js above harness/targets');
    dir = parent;
  }
  return dir;
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
  const token = `pat-mock-${randomBytes(16).toString('hex')}`;
  const webhookSecret = randomBytes(24).toString('base64url');
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
    ...options.faults.flatMap((f) => ['--fault', f]),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, ...options.env, POC_MOCK_TOKEN: token, POC_MOCK_WEBHOOK_SECRET: webhookSecret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const fail = (why: string) =>
      reject(new PocError('POC_ERR_MOCK_START', `mock-vendor ${why}: ${stderr.trim()}`));
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
    firehose: (objectType: string, inputs: readonly RecordInput[]) =>
      postJson(`${baseUrl}/__admin/firehose`, { objectType, inputs }),
  };
  return {
    kind: 'mock',
    vendor,
    baseUrl,
    credentials: { token, webhookSecret },
    settings: {},
    admin,
    describe: () => `mock (${vendor.profile.id} profile)`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
