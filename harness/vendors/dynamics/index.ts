import type { VendorAdapter } from '../types.js';
import { dynamicsApi } from './api.js';
import { dynamicsKeyHeaders, verifyDynamicsKey } from './auth.js';
import { parseDynamicsDelivery } from './events.js';
import { WEBHOOK_KEY_HEADER } from './fields.js';
import { dynamicsProfile } from './profile.js';

export const dynamics: VendorAdapter = {
  profile: dynamicsProfile,
  api: dynamicsApi,
  webhooks(secrets) {
    const primary = secrets.secrets[0] ?? '';
    return {
      // The webhook step posts the serialized RemoteExecutionContext as JSON.
      contentTypes: ['application/json'],
      security: {
        kind: 'static-key',
        coversBody: false,
        coversTimestamp: false,
        proofHeaders: [WEBHOOK_KEY_HEADER],
      },
      verify: (delivery) => verifyDynamicsKey(delivery, secrets.secrets),
      parse: parseDynamicsDelivery,
      sign: () => dynamicsKeyHeaders(primary),
    };
  },
};
