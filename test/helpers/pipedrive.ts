import type { VendorAdapter } from '../../harness/vendors/types.js';
import type { DeliveryFaults } from '../../mock-vendor/faults.js';
import type { PipedriveMockSettings } from '../../mock-vendor/pipedrive/settings.js';
import { type StartedMock, startMock, startReceiverFor } from './servers.js';

/** The emulated Pipedrive in this process on 127.0.0.1:0 (tests may read its ground truth). */
export function startMockPipedrive(
  options: {
    faults?: Partial<DeliveryFaults>;
    timeScale?: number;
    settings?: Partial<PipedriveMockSettings>;
  } = {},
): Promise<StartedMock> {
  return startMock('pipedrive', {
    token: '0123456789abcdef0123456789abcdef01234567',
    secret: 'test-webhook-password-abcdef',
    ...options,
  });
}

/**
 * The reference pipeline verifying Pipedrive's Basic credentials. It takes the adapter whose API
 * side learned the custom-field keys, so events map `poc_seq` back.
 */
export function startPipedriveReceiver(adapter: VendorAdapter, secrets: string[]) {
  return startReceiverFor(adapter, secrets);
}
