import { randomBytes, randomUUID } from 'node:crypto';
import type { VendorAdapter } from '../types.js';
import { standardApi } from './api.js';
import { parseStandardMessage } from './events.js';
import { standardProfile } from './profile.js';
import { SECRET_PREFIX, secretKey, signedHeaders, verifyStandard } from './signature.js';

export const standard: VendorAdapter = {
  profile: standardProfile,
  api: standardApi,
  // The spec's form: whsec_ + base64 of 24 to 64 random bytes.
  newSecret: () => `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`,
  webhooks(secrets) {
    const keys = secrets.secrets.filter((s) => s.length > 0).map(secretKey);
    const toleranceMs = secrets.toleranceMs ?? standardProfile.webhooks.timestampToleranceMs.value;
    // The idempotency key is the `webhook-id` header, but parse() only sees the body. The receiver
    // verifies and then parses the same Buffer, so verify() leaves the id keyed by that Buffer;
    // a WeakMap lets it go with the request.
    const idsByBody = new WeakMap<Buffer, string>();
    return {
      // The spec's payloads are JSON, sent as application/json.
      contentTypes: ['application/json'],
      security: {
        kind: 'hmac',
        coversBody: true,
        coversTimestamp: true,
        proofHeaders: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
      },
      verify(delivery, now) {
        const result = verifyStandard(delivery, now, { keys, toleranceMs });
        if (result.ok) idsByBody.set(delivery.body, result.id);
        return result;
      },
      parse: (body) => parseStandardMessage(body, idsByBody.get(body)),
      // SignInput carries no message id: each signed request is a new message. Its timestamp
      // is poc's usual ms epoch; the header carries whole seconds, as the spec requires.
      sign: (input) =>
        signedHeaders(keys.slice(0, 1), {
          id: `msg_${randomUUID().replaceAll('-', '')}`,
          timestampS: Math.floor(input.timestamp / 1000),
          body: input.body,
        }),
    };
  },
};
