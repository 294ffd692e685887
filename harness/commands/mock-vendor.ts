import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { parseFaults } from '../../mock-vendor/faults.js';
import { buildMockVendor } from '../../mock-vendor/server.js';
import type { mockVendorOptions } from '../config/server-options.js';
import { PocError } from '../errors.js';
import { readSecret } from '../secrets.js';
import { VENDOR_OPTIONS } from '../vendors/options.js';

function vendorOwn(flags: MockVendorConfig): Record<string, unknown> {
  const own = VENDOR_OPTIONS[flags.vendor]?.mock;
  return own ? Object.fromEntries(Object.keys(own.shape).map((k) => [k, flags[k]])) : {};
}

/** Resolved options (harness/config/server-options.ts) plus the vendor's own (HubSpot's signatureVersion). */
export type MockVendorConfig = z.output<typeof mockVendorOptions> & Readonly<Record<string, unknown>>;

/** `poc mock-vendor`: the emulated vendor as a standalone server, until SIGINT/SIGTERM. */
export async function mockVendorCommand(flags: MockVendorConfig): Promise<void> {
  const faults = parseFaults(flags.faults);
  let token = readSecret('POC_MOCK_TOKEN');
  let clientSecret = readSecret('POC_MOCK_WEBHOOK_SECRET');
  // Generated ones are written only once the mock listens: a taken port must not leave a file.
  const generated = !token || !clientSecret;
  token ??= `pat-mock-${randomBytes(16).toString('hex')}`;
  clientSecret ??= randomBytes(24).toString('base64url');
  let settings: Record<string, unknown> = {};
  if (process.env.POC_MOCK_SETTINGS) {
    try {
      settings = JSON.parse(process.env.POC_MOCK_SETTINGS) as Record<string, unknown>;
    } catch {
      throw new PocError('POC_ERR_BAD_OPTION', 'POC_MOCK_SETTINGS: must be a JSON object of mock settings');
    }
  }
  const mock = buildMockVendor({
    vendor: flags.vendor,
    token,
    clientSecret,
    faults,
    timeScale: flags.timeScale,
    // The vendor's own options are settings of its emulation; POC_MOCK_SETTINGS (tests) wins.
    settings: { ...vendorOwn(flags), ...settings },
  });
  let url: string;
  try {
    url = await mock.app.listen({ port: flags.port, host: flags.host });
  } catch (err) {
    // Its delivery engine keeps timers: stop it, or the process never exits after the error.
    await mock.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PocError('POC_ERR_PORT_IN_USE', `--port: ${flags.port} is already in use`);
    }
    throw err;
  }
  let credentialsFile: string | undefined;
  if (generated) {
    mkdirSync(flags.dataDir, { recursive: true });
    credentialsFile = join(flags.dataDir, 'mock-credentials.json');
    writeFileSync(credentialsFile, JSON.stringify({ token, webhookSecret: clientSecret }, null, 2), {
      mode: 0o600,
    });
  }
  if (flags.seedRecords) {
    const seeded = await mock.app.inject({
      method: 'POST',
      url: '/__admin/seed',
      payload: { count: Math.floor(flags.seedRecords) },
    });
    if (seeded.statusCode !== 200) {
      await mock.close();
      throw new PocError(
        'POC_ERR_MOCK_START',
        `--seed-records: the ${flags.vendor} emulation refused the seed records: ${seeded.body}`,
      );
    }
  }
  if (flags.readyLine) {
    process.stdout.write(`${JSON.stringify({ event: 'ready', url })}\n`);
  } else {
    process.stdout.write(`mock ${flags.vendor} listening on ${url} (admin API under ${url}/__admin)\n`);
    if (credentialsFile) process.stdout.write(`credentials written to ${credentialsFile}\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Started by `poc run`: its stdin is a pipe from that process, which closes when it dies.
    if (flags.exitWithStdin) {
      process.stdin.once('close', stop);
      process.stdin.once('end', stop);
      process.stdin.resume();
    }
  });
  await mock.close();
  // A resumed stdin keeps the event loop alive: without this the process lingers until its
  // parent's kill timer (3 s for every run of a playbook).
  process.stdin.destroy();
}
