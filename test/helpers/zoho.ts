import { createPipeline, type Pipeline } from '../../harness/pipeline/pipeline.js';
import { createPipelineMetrics } from '../../harness/telemetry/metrics.js';
import { zoho } from '../../harness/vendors/zoho/index.js';
import { type DeliveryFaults, NO_FAULTS } from '../../mock-vendor/faults.js';
import type { ZohoMockSettings } from '../../mock-vendor/profiles/zoho.js';
import { buildMockVendor } from '../../mock-vendor/server.js';
import type { StartedMock } from './servers.js';
import { tempDir } from './servers.js';

/** The reference pipeline with Zoho's echoed-token scheme on 127.0.0.1:0. */
export async function startZohoReceiver(secrets: string[]) {
  const dir = tempDir('poc-receiver-');
  const metrics = createPipelineMetrics({ run_id: 'test', vendor: 'zoho', scenario: 'test', target: 'mock' });
  const pipeline: Pipeline = createPipeline({
    scheme: zoho.webhooks({ secrets }),
    metrics,
    dir: dir.path,
    vendor: 'zoho',
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

/** The emulated Zoho CRM in this process on 127.0.0.1:0 (tests may read its ground truth). */
export async function startMockZoho(
  options: {
    faults?: Partial<DeliveryFaults>;
    timeScale?: number;
    settings?: Partial<ZohoMockSettings>;
  } = {},
): Promise<StartedMock & { refreshToken: string }> {
  const token = '1000.mocktoken0123456789.abcdef0123456789';
  // The channel token: at most 50 characters, echoed in every notification.
  const secret = 'poc-zoho-channel-token-0123456789';
  const refreshToken = '1000.refresh0123456789.fedcba9876543210';
  const mock = buildMockVendor({
    vendor: 'zoho',
    token,
    clientSecret: secret,
    faults: { ...NO_FAULTS, ...options.faults },
    timeScale: options.timeScale ?? 1000,
    settings: { refreshToken, ...options.settings },
  });
  const url = await mock.app.listen({ port: 0, host: '127.0.0.1' });
  return { mock, url, token, secret, refreshToken, close: () => mock.close() };
}
