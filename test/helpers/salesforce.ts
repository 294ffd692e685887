import { salesforce } from '../../harness/vendors/salesforce/index.js';
import type { DeliveryFaults } from '../../mock-vendor/faults.js';
import type { SalesforceMockSettings } from '../../mock-vendor/salesforce/settings.js';
import { type StartedMock, startMock, startReceiverFor } from './servers.js';

export { waitUntil } from './wait.js';

/** The org id the test mock stamps on every Outbound Message (an 18-character 00D id). */
export const TEST_ORG_ID = '00D5g000004TestEAA';

/** The emulated Salesforce org in this process on 127.0.0.1:0 (tests may read its ground truth). */
export function startMockSalesforce(
  options: {
    faults?: Partial<DeliveryFaults>;
    timeScale?: number;
    settings?: Partial<SalesforceMockSettings>;
  } = {},
): Promise<StartedMock> {
  return startMock('salesforce', {
    token: '00D5g000004Test!static-session-for-tests',
    // Outbound Messages are not signed: the only identity the receiver can check is the org id.
    secret: TEST_ORG_ID,
    ...options,
    settings: { organizationId: TEST_ORG_ID, ...options.settings },
  });
}

/** The reference pipeline with the Salesforce scheme, expecting `orgIds` in each message. */
export function startSalesforceReceiver(orgIds: string[]) {
  return startReceiverFor(salesforce, orgIds);
}
