import type { VendorAdapter } from '../types.js';
import { zohoApi } from './api.js';
import { verifyZohoToken } from './auth.js';
import { parseZohoNotification } from './events.js';
import { zohoProfile } from './profile.js';

export const zoho: VendorAdapter = {
  profile: zohoProfile,
  api: zohoApi,
  webhooks(secrets) {
    return {
      // Notifications post one JSON object to notify_url.
      contentTypes: ['application/json'],
      security: { kind: 'echoed-token', coversBody: false, coversTimestamp: false, proofHeaders: [] },
      embed: (body, secret) =>
        body.replace(
          /("token"\s*:\s*)"(?:[^"\\]|\\.)*"/,
          (_m, key: string) => `${key}${JSON.stringify(secret)}`,
        ),
      verify: (delivery) => verifyZohoToken(delivery, secrets.secrets),
      parse: parseZohoNotification,
      // Zoho adds no headers: its proof is the token inside the body the channel echoes.
      sign: () => ({}),
    };
  },
};
