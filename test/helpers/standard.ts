import { createPipeline, type Pipeline } from '../../harness/pipeline/pipeline.js';
import { createPipelineMetrics } from '../../harness/telemetry/metrics.js';
import { standard } from '../../harness/vendors/standard/index.js';
import { type DeliveryFaults, NO_FAULTS } from '../../mock-vendor/faults.js';
import type { StandardMockSettings } from '../../mock-vendor/profiles/standard.js';
import { buildMockVendor } from '../../mock-vendor/server.js';
import type { StartedMock } from './servers.js';
import { tempDir } from './servers.js';

/** The reference pipeline with the Standard Webhooks scheme on 127.0.0.1:0. */
export async function startStandardReceiver(secrets: string[]) {
  const dir = tempDir('poc-receiver-');
  const metrics = createPipelineMetrics({
    run_id: 'test',
    vendor: 'standard',
    scenario: 'test',
    target: 'mock',
  });
  const pipeline: Pipeline = createPipeline({
    scheme: standard.webhooks({ secrets }),
    metrics,
    dir: dir.path,
    vendor: 'standard',
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

/** The emulated Standard Webhooks CRM in this process on 127.0.0.1:0 (tests may read its truth). */
export async function startMockStandard(
  options: {
    faults?: Partial<DeliveryFaults>;
    timeScale?: number;
    settings?: Partial<StandardMockSettings>;
  } = {},
): Promise<StartedMock> {
  const token = 'crm-test-token-0123456789';
  // A `whsec_` secret of 24 bytes, as the spec serialises it.
  const secret = `whsec_${Buffer.from('poc-standard-test-secret').toString('base64')}`;
  const mock = buildMockVendor({
    vendor: 'standard',
    token,
    clientSecret: secret,
    faults: { ...NO_FAULTS, ...options.faults },
    timeScale: options.timeScale ?? 1000,
    ...(options.settings ? { settings: options.settings } : {}),
  });
  const url = await mock.app.listen({ port: 0, host: '127.0.0.1' });
  return { mock, url, token, secret, close: () => mock.close() };
}

export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
