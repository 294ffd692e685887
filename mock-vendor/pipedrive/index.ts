import type { FaultKind, FaultResponse } from '../api-faults.js';
import type { VendorEmulation } from '../emulation.js';
import { overLimitBody, pipedriveError } from './errors.js';
import { PipedriveMock } from './mock.js';
import { propsFromCanonical } from './persons.js';
import { registerPipedriveRoutes } from './routes.js';
import { defaultPipedriveSettings, type PipedriveMockSettings } from './settings.js';

/** Injected API faults answered in Pipedrive's own error shapes. */
const PIPEDRIVE_FAULTS: Readonly<Record<FaultKind, FaultResponse>> = {
  unavailable: { status: 503, body: pipedriveError('Service unavailable') },
  server_error: { status: 500, body: pipedriveError('Internal server error') },
  rate_limited: {
    status: 429,
    headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' },
    body: overLimitBody(),
  },
};

export const pipedriveEmulation: VendorEmulation = {
  id: 'pipedrive',
  create(app, options) {
    const settings: PipedriveMockSettings = {
      ...defaultPipedriveSettings(),
      ...(options.settings as Partial<PipedriveMockSettings>),
    };
    const mock = new PipedriveMock(settings, options.token, options.faults, options.timeScale, options.truth);
    registerPipedriveRoutes(app, mock);
    return {
      delivery: mock.webhooks.delivery,
      // Persons are Pipedrive's contacts; other objects are not emulated.
      objectTypes: ['contacts'],
      faultResponse: (kind) => PIPEDRIVE_FAULTS[kind],
      // Pipedrive merges persons (PUT /v1/persons/{id}/merge), so the firehose can too.
      supportsMerge: true,
      firehose(_objectType, inputs, now) {
        for (const input of inputs) {
          // poc's external id for a person is its primary email (the upsert searches by it).
          // Unknown external ids are skipped, as an import skips rows it cannot match.
          if (input.mergeInto !== undefined) {
            const loser = mock.persons.findBy('email', input.externalId);
            const winner = mock.persons.findBy('email', input.mergeInto);
            if (loser && winner) mock.merge(loser.id, winner.id, 'app', now);
            continue;
          }
          if (input.deleted === true) {
            const gone = mock.persons.findBy('email', input.externalId);
            if (gone) mock.delete(gone.id, 'app', now);
            continue;
          }
          const email = input.fields.email ?? input.externalId;
          const existing = mock.persons.findBy('email', email);
          const props = propsFromCanonical({ email, ...input.fields }, mock.fields, existing);
          // Pipedrive requires a name; a person made inside the app without one shows its email.
          if (!existing && props.name === undefined) {
            props.name = email;
            props.first_name = email;
            props.last_name = '';
          }
          mock.upsertByEmail(email, props, 'app', now);
        }
      },
    };
  },
};
