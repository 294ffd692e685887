import type { VendorAdapter, WebhookScheme, WebhookSecrets } from '../types.js';
import { DEFAULT_WEBHOOK_USER, pipedriveApi } from './api.js';
import { basicHeader, verifyBasic } from './auth.js';
import { parsePipedriveDelivery } from './events.js';
import { CustomFieldKeys } from './field-keys.js';
import { pipedriveProfile } from './profile.js';

export interface PipedriveSchemeOptions {
  /** The Basic user name set on the webhooks; `poc` unless configured otherwise. */
  readonly user?: string;
}

/**
 * A Pipedrive adapter. Its API side and its webhook side share the company's custom field keys:
 * payloads name poc_seq by hash key only, and the API resolves that key (see field-keys.ts).
 */
export function createPipedriveAdapter(
  keys: CustomFieldKeys = new CustomFieldKeys(),
): VendorAdapter & { webhooks(secrets: WebhookSecrets, options?: PipedriveSchemeOptions): WebhookScheme } {
  return {
    profile: pipedriveProfile,
    api: (connection) => pipedriveApi(connection, keys),
    webhooks(secrets: WebhookSecrets, options: PipedriveSchemeOptions = {}): WebhookScheme {
      const user = options.user ?? DEFAULT_WEBHOOK_USER;
      const primary = secrets.secrets[0] ?? '';
      return {
        // Webhooks v2 post their {meta, data, previous} body as JSON.
        contentTypes: ['application/json'],
        security: {
          kind: 'basic-auth',
          coversBody: false,
          coversTimestamp: false,
          proofHeaders: ['authorization'],
        },
        verify: (delivery) => verifyBasic(delivery, { user, secrets: secrets.secrets }),
        parse: (body) => parsePipedriveDelivery(body, keys),
        sign: () => ({ authorization: basicHeader(user, primary) }),
      };
    },
  };
}

export const pipedrive = createPipedriveAdapter();
