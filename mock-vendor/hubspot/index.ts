import { HUBSPOT_ID_PROPERTY } from '../../harness/vendors/hubspot/fields.js';
import type { MockProfile } from '../profile.js';
import { defaultHubspotSettings, type HubspotMockSettings } from '../profiles/hubspot.js';
import { HubspotMock, OBJECT_TYPES, type ObjectType } from './mock.js';
import { registerHubspotRoutes } from './routes.js';

export const hubspotMockProfile: MockProfile = {
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
    registerHubspotRoutes(app, mock);
    return {
      delivery: mock.engine,
      objectTypes: OBJECT_TYPES,
      firehose(objectType, inputs, now) {
        for (const input of inputs) {
          mock.upsert(
            objectType as ObjectType,
            { id: input.externalId, idProperty: HUBSPOT_ID_PROPERTY, properties: { ...input.fields } },
            'CRM',
            now,
          );
        }
      },
    };
  },
};
