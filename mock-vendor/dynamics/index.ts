import { DATAVERSE_KEY_COLUMN, toColumns } from '../../harness/vendors/dynamics/fields.js';
import { SERVICE_PROTECTION_CODES } from '../../harness/vendors/dynamics/profile.js';
import type { FaultKind, FaultResponse } from '../api-faults.js';
import type { VendorEmulation } from '../emulation.js';
import { DATAVERSE_CODES, odataError } from './errors.js';
import { DynamicsMock } from './mock.js';
import { registerDynamicsRoutes } from './routes.js';
import { requestLimitMessage, requestLimitSpec, retryAfterSeconds } from './service-protection.js';
import { type DynamicsMockSettings, defaultDynamicsSettings } from './settings.js';

const OBJECT_TYPES = ['contacts'] as const;

// Dataverse's answers when it is down, failing or throttling (shared/vendors.md §5.2, §5.3).
function faultResponse(settings: DynamicsMockSettings, kind: FaultKind): FaultResponse {
  if (kind === 'rate_limited') {
    // A storm is Dataverse throttling everyone: the request-count answer, a whole window to wait
    // (the storm's own end replaces it when known).
    const spec = requestLimitSpec(settings);
    return {
      status: 429,
      headers: { 'retry-after': String(retryAfterSeconds(spec.windowMs)) },
      body: odataError(SERVICE_PROTECTION_CODES.requests, requestLimitMessage(spec)),
    };
  }
  const status = kind === 'unavailable' ? 503 : 500;
  return {
    status,
    body: odataError(DATAVERSE_CODES.server, status === 503 ? 'Service Unavailable' : 'Generic SQL error.'),
  };
}

export const dynamicsEmulation: VendorEmulation = {
  id: 'dynamics',
  create(app, options) {
    const settings: DynamicsMockSettings = {
      ...defaultDynamicsSettings(),
      ...(options.settings as Partial<DynamicsMockSettings>),
    };
    const mock = new DynamicsMock(
      settings,
      { token: options.token, webhookSecret: options.webhookSecret },
      options.faults,
      options.timeScale,
      options.truth,
    );
    registerDynamicsRoutes(app, mock);
    return {
      delivery: mock.delivery,
      objectTypes: OBJECT_TYPES,
      faultResponse: (kind) => faultResponse(settings, kind),
      // Changes made inside Dataverse (imports, flows, other users) run the same pipeline as API
      // writes: an upsert by the alternate key, with the same steps firing.
      firehose(objectType, inputs, now) {
        if (objectType !== 'contacts') return;
        for (const input of inputs) {
          const key = { kind: 'alternate', values: { [DATAVERSE_KEY_COLUMN]: input.externalId } } as const;
          if (input.deleted) {
            // A Delete message like the Web API's DELETE: the Delete steps fire with the id
            // (unknown ids are skipped: nothing to delete, no message).
            mock.deleteContact(key, mock.newRequest(), now);
            continue;
          }
          const columns = toColumns(input.fields);
          delete columns[DATAVERSE_KEY_COLUMN];
          mock.writeContact(key, columns, { kind: 'upsert' }, mock.newRequest(), now);
        }
      },
    };
  },
};
