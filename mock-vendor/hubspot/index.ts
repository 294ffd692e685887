import { HUBSPOT_ID_PROPERTY } from '../../harness/vendors/hubspot/fields.js';
import type { FaultKind, FaultResponse } from '../api-faults.js';
import type { VendorEmulation } from '../emulation.js';
import { registerHubspotErrorReplies } from './error-replies.js';
import { hubspotError } from './errors.js';
import { HubspotMock, OBJECT_TYPES, type ObjectType } from './mock.js';
import { registerHubspotRoutes } from './routes.js';
import { defaultHubspotSettings, type HubspotMockSettings } from './settings.js';

// HubSpot's answers when it is down, failing or throttling (shared/vendors.md §1.3, §1.4).
const HUBSPOT_FAULTS: Readonly<Record<FaultKind, FaultResponse>> = {
  unavailable: { status: 503, body: hubspotError('INTERNAL_ERROR', 'Service Unavailable') },
  server_error: { status: 500, body: hubspotError('INTERNAL_ERROR', 'internal error') },
  rate_limited: {
    status: 429,
    body: {
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: '00000000-0000-4000-8000-000000000000',
      policyName: 'TEN_SECONDLY_ROLLING',
    },
  },
};

export const hubspotEmulation: VendorEmulation = {
  id: 'hubspot',
  create(app, options) {
    const settings: HubspotMockSettings = {
      ...defaultHubspotSettings(),
      ...(options.settings as Partial<HubspotMockSettings>),
    };
    const mock = new HubspotMock(
      settings,
      { token: options.token, clientSecret: options.webhookSecret },
      options.faults,
      options.timeScale,
      options.truth,
    );
    registerHubspotErrorReplies(app);
    registerHubspotRoutes(app, mock);
    return {
      delivery: mock.engine,
      objectTypes: OBJECT_TYPES,
      faultResponse: (kind) => HUBSPOT_FAULTS[kind],
      supportsMerge: true,
      firehose(objectType, inputs, now) {
        const type = objectType as ObjectType;
        // Deletes and merges name records by external id (the email); unknown ones are skipped.
        const idOf = (externalId: string) => mock.store(type).findBy(HUBSPOT_ID_PROPERTY, externalId)?.id;
        for (const input of inputs) {
          if (input.deleted) {
            const id = idOf(input.externalId);
            if (id !== undefined) mock.archive(type, id, now);
          } else if (input.mergeInto !== undefined) {
            const loser = idOf(input.externalId);
            const winner = idOf(input.mergeInto);
            if (loser !== undefined && winner !== undefined) mock.merge(type, winner, loser, now);
          } else {
            mock.upsert(
              type,
              { id: input.externalId, idProperty: HUBSPOT_ID_PROPERTY, properties: { ...input.fields } },
              'CRM',
              now,
            );
          }
        }
      },
    };
  },
};
