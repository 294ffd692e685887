import { dynamics } from '../../harness/vendors/dynamics/index.js';
import type { DynamicsMockSettings } from '../../mock-vendor/dynamics/settings.js';
import type { DeliveryFaults } from '../../mock-vendor/faults.js';
import { type StartedMock, startMock, startReceiverFor } from './servers.js';

/** The reference pipeline with Dataverse's static-key scheme, on 127.0.0.1:0. */
export function startDynamicsReceiver(keys: string[]) {
  return startReceiverFor(dynamics, keys);
}

/** The emulated Dataverse environment in this process on 127.0.0.1:0. */
export function startMockDynamics(
  options: {
    faults?: Partial<DeliveryFaults>;
    timeScale?: number;
    settings?: Partial<DynamicsMockSettings>;
  } = {},
): Promise<StartedMock> {
  return startMock('dynamics', {
    token: 'dataverse-test-client-secret-0123456789',
    secret: 'test-webhook-key-abcdef',
    ...options,
  });
}
