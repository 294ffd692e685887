import { toContactWrite } from '../../harness/vendors/standard/fields.js';
import { canonicalSecret } from '../../harness/vendors/standard/signature.js';
import type { FaultKind, FaultResponse } from '../api-faults.js';
import type { VendorEmulation } from '../emulation.js';
import { readContactWrite } from './contacts.js';
import { registerEndpointRoutes } from './endpoint-routes.js';
import { registerStandardErrorReplies } from './error-replies.js';
import { problem } from './errors.js';
import { StandardMock } from './mock.js';
import { registerContactRoutes } from './routes.js';
import { defaultStandardSettings, type StandardMockSettings } from './settings.js';

// The CRM's answers when it is down, failing or throttling everyone: problem details as ever.
const PROBLEM = { 'content-type': 'application/problem+json' };
const STANDARD_FAULTS: Readonly<Record<FaultKind, FaultResponse>> = {
  unavailable: {
    status: 503,
    headers: PROBLEM,
    body: problem(503, 'unavailable', 'The service is temporarily unavailable.'),
  },
  server_error: { status: 500, headers: PROBLEM, body: problem(500, 'internal_error', 'Internal error.') },
  rate_limited: {
    status: 429,
    headers: PROBLEM,
    body: problem(429, 'rate_limited', 'Too many requests; retry after the time in Retry-After.'),
  },
};

export const standardEmulation: VendorEmulation = {
  id: 'standard',
  create(app, options) {
    const settings: StandardMockSettings = {
      ...defaultStandardSettings(),
      ...(options.settings as Partial<StandardMockSettings>),
    };
    const mock = new StandardMock(
      settings,
      // The account's default endpoint secret is the one the mock was started with, so a client
      // that creates an endpoint without its own secret can still verify (poc mock-vendor prints it).
      { token: options.token, defaultSecret: canonicalSecret(options.webhookSecret) },
      options.faults,
      options.timeScale,
      options.truth,
    );
    registerStandardErrorReplies(app);
    registerContactRoutes(app, mock);
    registerEndpointRoutes(app, mock);
    return {
      delivery: mock.endpoints,
      objectTypes: ['contacts'],
      faultResponse: (kind) => STANDARD_FAULTS[kind],
      // No merges: a generic CRM need not have them, and the Standard Webhooks spec defines no
      // event types at all, so there is no merge event to emulate.
      supportsMerge: false,
      firehose(_objectType, inputs, now) {
        for (const input of inputs) {
          if (input.deleted) {
            const existing = mock.contacts.store.findBy('external_id', input.externalId);
            if (existing) mock.delete(existing.id, now);
            continue;
          }
          // Canonical fields always map to a valid write; a failure here is a bug in the mapping.
          const write = readContactWrite(toContactWrite(input.fields), '');
          if (!write.ok) throw new Error(`firehose: ${write.errors.map((e) => e.field).join(', ')} invalid`);
          mock.upsert(input.externalId, write.properties, now);
        }
      },
    };
  },
};
