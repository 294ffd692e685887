import { standard } from '../../harness/vendors/standard/index.js';
import type { DeliveryFaults } from '../../mock-vendor/faults.js';
import type { StandardMockSettings } from '../../mock-vendor/standard/settings.js';
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

export interface FirehoseChange {
  readonly externalId: string;
  readonly fields?: Readonly<Record<string, string>>;
  readonly deleted?: boolean;
}

/** Changes made inside the CRM through the admin API, backdated to `at` (epoch ms) when given. */
export async function firehoseStandard(
  mock: StartedMock,
  changes: readonly FirehoseChange[],
  at?: number,
): Promise<void> {
  const res = await fetch(`${mock.url}/__admin/firehose`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      objectType: 'contacts',
      inputs: changes.map((c) => ({ fields: {}, ...c })),
      ...(at === undefined ? {} : { at }),
    }),
  });
  if (!res.ok) throw new Error(`firehose answered ${res.status}: ${await res.text()}`);
}
