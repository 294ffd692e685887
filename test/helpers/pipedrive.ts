import { createPipeline, type Pipeline } from '../../harness/pipeline/pipeline.js';
import { createPipelineMetrics } from '../../harness/telemetry/metrics.js';
import type { VendorAdapter } from '../../harness/vendors/types.js';
import { type DeliveryFaults, NO_FAULTS } from '../../mock-vendor/faults.js';
import type { PipedriveMockSettings } from '../../mock-vendor/profiles/pipedrive.js';
import { buildMockVendor } from '../../mock-vendor/server.js';
import { type StartedMock, tempDir } from './servers.js';

/** The emulated Pipedrive in this process on 127.0.0.1:0 (tests may read its ground truth). */
export async function startMockPipedrive(
  options: {
    faults?: Partial<DeliveryFaults>;
    timeScale?: number;
    settings?: Partial<PipedriveMockSettings>;
  } = {},
): Promise<StartedMock> {
  const token = '0123456789abcdef0123456789abcdef01234567';
  const secret = 'test-webhook-password-abcdef';
  const mock = buildMockVendor({
    vendor: 'pipedrive',
    token,
    clientSecret: secret,
    faults: { ...NO_FAULTS, ...options.faults },
    timeScale: options.timeScale ?? 1000,
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const url = await mock.app.listen({ port: 0, host: '127.0.0.1' });
  return { mock, url, token, secret, close: () => mock.close() };
}

/** The reference pipeline verifying Pipedrive's Basic credentials, on 127.0.0.1:0. */
export async function startPipedriveReceiver(adapter: VendorAdapter, secrets: string[]) {
  const dir = tempDir('poc-receiver-');
  const metrics = createPipelineMetrics({
    run_id: 'test',
    vendor: 'pipedrive',
    scenario: 'test',
    target: 'mock',
  });
  const pipeline: Pipeline = createPipeline({
    scheme: adapter.webhooks({ secrets }),
    metrics,
    dir: dir.path,
    vendor: 'pipedrive',
    durability: 'process-crash',
  });
  const address = await pipeline.listen(0);
  return {
    pipeline,
    metrics,
    url: `${address}${pipeline.path}`,
    async close() {
      await pipeline.close();
      dir.remove();
    },
  };
}
