import { zoho } from '../../harness/vendors/zoho/index.js';
import type { DeliveryFaults } from '../../mock-vendor/faults.js';
import type { ZohoMockSettings } from '../../mock-vendor/zoho/settings.js';
import { type StartedMock, startMock, startReceiverFor } from './servers.js';

/** The reference pipeline with Zoho's echoed-token scheme on 127.0.0.1:0. */
export function startZohoReceiver(secrets: string[]) {
  return startReceiverFor(zoho, secrets);
}

/** The emulated Zoho CRM in this process on 127.0.0.1:0 (tests may read its ground truth). */
export async function startMockZoho(
  options: {
    faults?: Partial<DeliveryFaults>;
    timeScale?: number;
    settings?: Partial<ZohoMockSettings>;
  } = {},
): Promise<StartedMock & { refreshToken: string }> {
  const refreshToken = '1000.refresh0123456789.fedcba9876543210';
  const started = await startMock('zoho', {
    token: '1000.mocktoken0123456789.abcdef0123456789',
    // The channel token: at most 50 characters, echoed in every notification.
    secret: 'poc-zoho-channel-token-0123456789',
    ...options,
    settings: { refreshToken, ...options.settings },
  });
  return { ...started, refreshToken };
}
