import { readSecret, requireSecret } from '../secrets.js';
import type { VendorAdapter } from '../vendors/types.js';
import type { Target } from './types.js';

/** The vendor's own sandbox; credentials from env (or *_FILE), base URL overridable. */
export function liveTarget(vendor: VendorAdapter, env: NodeJS.ProcessEnv = process.env): Target {
  const names = vendor.profile.credentialsEnv;
  const token = requireSecret(names.token, env);
  const webhookSecret = requireSecret(names.webhookSecret, env);
  const baseUrl = readSecret(names.baseUrl, env) ?? vendor.profile.liveBaseUrl;
  const appId = env[`POC_${vendor.profile.id.toUpperCase()}_APP_ID`];
  return {
    kind: 'live',
    vendor,
    baseUrl,
    credentials: { token, webhookSecret },
    settings: appId ? { appId } : {},
    timeScale: 1,
    describe: () => `live (${baseUrl})`,
    stop: async () => {},
  };
}
