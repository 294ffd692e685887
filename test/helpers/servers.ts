import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPipeline, type Pipeline } from '../../harness/pipeline/pipeline.js';
import { createPipelineMetrics } from '../../harness/telemetry/metrics.js';
import { hubspot } from '../../harness/vendors/hubspot/index.js';
import type { VendorAdapter } from '../../harness/vendors/types.js';
import { type DeliveryFaults, NO_FAULTS } from '../../mock-vendor/faults.js';
import type { HubspotMockSettings } from '../../mock-vendor/hubspot/settings.js';
import { buildMockVendor, type MockVendor } from '../../mock-vendor/server.js';

export function tempDir(prefix = 'poc-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The reference pipeline for any vendor's scheme on 127.0.0.1:0, with its own temp folder. */
export async function startReceiverFor(
  adapter: VendorAdapter,
  secrets: string[],
  options: { processor?: boolean; acceptLegacy?: boolean } = {},
) {
  const vendor = adapter.profile.id;
  const dir = tempDir(`poc-receiver-${vendor}-`);
  const metrics = createPipelineMetrics({ run_id: 'test', vendor, scenario: 'test', target: 'mock' });
  const pipeline: Pipeline = createPipeline({
    scheme: adapter.webhooks({ secrets, acceptLegacy: options.acceptLegacy ?? false }),
    metrics,
    dir: dir.path,
    vendor,
    durability: 'process-crash',
    ...(options.processor === false ? { processor: false } : {}),
  });
  const address = await pipeline.listen(0);
  return {
    pipeline,
    metrics,
    url: `${address}${pipeline.path}`,
    address,
    async close() {
      await pipeline.close();
      dir.remove();
    },
  };
}

/** The reference pipeline for HubSpot on 127.0.0.1:0. */
export function startReceiver(
  secrets: string[],
  options: { processor?: boolean; acceptLegacy?: boolean } = {},
) {
  return startReceiverFor(hubspot, secrets, options);
}

export interface StartedMock {
  readonly mock: MockVendor;
  readonly url: string;
  readonly token: string;
  readonly secret: string;
  close(): Promise<void>;
}

export interface MockStart {
  readonly token: string;
  readonly secret: string;
  readonly faults?: Partial<DeliveryFaults>;
  readonly timeScale?: number;
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** Any emulated vendor in this process on 127.0.0.1:0 (tests may read its ground truth). */
export async function startMock(vendor: string, options: MockStart): Promise<StartedMock> {
  const mock = buildMockVendor({
    vendor,
    token: options.token,
    clientSecret: options.secret,
    faults: { ...NO_FAULTS, ...options.faults },
    timeScale: options.timeScale ?? 1000,
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const url = await mock.app.listen({ port: 0, host: '127.0.0.1' });
  return { mock, url, token: options.token, secret: options.secret, close: () => mock.close() };
}

/** The emulated HubSpot in this process on 127.0.0.1:0. */
export function startMockHubspot(
  options: {
    faults?: Partial<DeliveryFaults>;
    timeScale?: number;
    settings?: Partial<HubspotMockSettings>;
  } = {},
): Promise<StartedMock> {
  return startMock('hubspot', {
    token: 'pat-test-token-0123456789',
    secret: 'test-client-secret-abcdef',
    ...options,
  });
}
