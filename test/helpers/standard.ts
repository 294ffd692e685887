import { standard } from '../../harness/vendors/standard/index.js';
import type { DeliveryFaults } from '../../mock-vendor/faults.js';
import type { StandardMockSettings } from '../../mock-vendor/profiles/standard.js';
import { type StartedMock, startMock, startReceiverFor } from './servers.js';

export { waitUntil } from './wait.js';

/** The reference pipeline with the Standard Webhooks scheme on 127.0.0.1:0. */
export function startStandardReceiver(secrets: string[]) {
  return startReceiverFor(standard, secrets);
}

/** The emulated Standard Webhooks CRM in this process on 127.0.0.1:0 (tests may read its truth). */
export function startMockStandard(
  options: {
    faults?: Partial<DeliveryFaults>;
    timeScale?: number;
    settings?: Partial<StandardMockSettings>;
  } = {},
): Promise<StartedMock> {
  // A `whsec_` secret of 24 bytes, as the spec serialises it.
  const secret = `whsec_${Buffer.from('poc-standard-test-secret').toString('base64')}`;
  return startMock('standard', { token: 'crm-test-token-0123456789', secret, ...options });
}
