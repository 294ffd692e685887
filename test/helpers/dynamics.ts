import { createPipeline, type Pipeline } from '../../harness/pipeline/pipeline.js';
import { createPipelineMetrics } from '../../harness/telemetry/metrics.js';
import { dynamics } from '../../harness/vendors/dynamics/index.js';
import { type DeliveryFaults, NO_FAULTS } from '../../mock-vendor/faults.js';
import type { DynamicsMockSettings } from '../../mock-vendor/profiles/dynamics.js';
import { buildMockVendor } from '../../mock-vendor/server.js';
import { type StartedMock, tempDir } from './servers.js';

/** The reference pipeline with Dataverse's static-key scheme, on 127.0.0.1:0. */
export async function startDynamicsReceiver(keys: string[]) {
  const dir = tempDir('poc-receiver-');
  const metrics = createPipelineMetrics({
    run_id: 'test',
    vendor: 'dynamics',
    scenario: 'test',
    target: 'mock',
  });
  const pipeline: Pipeline = createPipeline({
    scheme: dynamics.webhooks({ secrets: keys }),
    metrics,
    dir: dir.path,
    vendor: 'dynamics',
    durability: 'process-crash',
  });
  const address = await pipeline.listen(0);
  return {
    pipeline,
    url: `${address}${pipeline.path}`,
    address,
    async close() {
      await pipeline.close();
      dir.remove();
    },
  };
}

/** The emulated Dataverse environment in this process on 127.0.0.1:0. */
export async function startMockDynamics(
  options: {
    faults?: Partial<DeliveryFaults>;
    timeScale?: number;
    settings?: Partial<DynamicsMockSettings>;
  } = {},
): Promise<StartedMock> {
  const token = 'dataverse-test-client-secret-0123456789';
  const secret = 'test-webhook-key-abcdef';
  const mock = buildMockVendor({
    vendor: 'dynamics',
    token,
    clientSecret: secret,
    faults: { ...NO_FAULTS, ...options.faults },
    timeScale: options.timeScale ?? 1000,
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const url = await mock.app.listen({ port: 0, host: '127.0.0.1' });
  return { mock, url, token, secret, close: () => mock.close() };
}
