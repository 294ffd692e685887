import { createPipeline, type Pipeline } from '../../harness/pipeline/pipeline.js';
import { createPipelineMetrics } from '../../harness/telemetry/metrics.js';
import { salesforce } from '../../harness/vendors/salesforce/index.js';
import { type DeliveryFaults, NO_FAULTS } from '../../mock-vendor/faults.js';
import type { SalesforceMockSettings } from '../../mock-vendor/profiles/salesforce.js';
import { buildMockVendor } from '../../mock-vendor/server.js';
import { type StartedMock, tempDir } from './servers.js';

/** The org id the test mock stamps on every Outbound Message (an 18-character 00D id). */
export const TEST_ORG_ID = '00D5g000004TestEAA';

/** The emulated Salesforce org in this process on 127.0.0.1:0 (tests may read its ground truth). */
export async function startMockSalesforce(
  options: {
    faults?: Partial<DeliveryFaults>;
    timeScale?: number;
    settings?: Partial<SalesforceMockSettings>;
  } = {},
): Promise<StartedMock> {
  const token = '00D5g000004Test!static-session-for-tests';
  const mock = buildMockVendor({
    vendor: 'salesforce',
    token,
    clientSecret: 'unused-outbound-messages-are-not-signed',
    faults: { ...NO_FAULTS, ...options.faults },
    timeScale: options.timeScale ?? 1000,
    settings: { organizationId: TEST_ORG_ID, ...options.settings },
  });
  const url = await mock.app.listen({ port: 0, host: '127.0.0.1' });
  return { mock, url, token, secret: TEST_ORG_ID, close: () => mock.close() };
}

/** The reference pipeline with the Salesforce scheme, expecting `orgIds` in each message. */
export async function startSalesforceReceiver(orgIds: string[]) {
  const dir = tempDir('poc-sf-receiver-');
  const metrics = createPipelineMetrics({
    run_id: 'test',
    vendor: 'salesforce',
    scenario: 'test',
    target: 'mock',
  });
  const pipeline: Pipeline = createPipeline({
    scheme: salesforce.webhooks({ secrets: orgIds }),
    metrics,
    dir: dir.path,
    vendor: 'salesforce',
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
