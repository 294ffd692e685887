import { EXTERNAL_ID_FIELD, toSalesforceFields } from '../../harness/vendors/salesforce/fields.js';
import type { VendorEmulation } from '../emulation.js';
import { registerAccountRoutes } from './account-routes.js';
import { registerAuthRoutes } from './auth-routes.js';
import { registerCometdRoutes } from './cdc/cometd.js';
import { registerCompositeRoutes } from './composite.js';
import { checkWrite, contactField } from './contact-schema.js';
import { registerSalesforceErrorReplies } from './error-replies.js';
import { SALESFORCE_FAULTS } from './faults.js';
import { registerIdentityRoutes } from './identity.js';
import { SalesforceMock } from './mock.js';
import { registerOutboundRoutes } from './outbound.js';
import { registerQueryRoutes } from './query.js';
import { registerSobjectRoutes } from './routes.js';
import { defaultSalesforceSettings, type SalesforceMockSettings } from './settings.js';

export const salesforceEmulation: VendorEmulation = {
  id: 'salesforce',
  create(app, options) {
    const defaults = defaultSalesforceSettings();
    const given = options.settings as Partial<SalesforceMockSettings>;
    const settings: SalesforceMockSettings = {
      ...defaults,
      ...given,
      // One permission may be taken away alone: `{contactPermissions: {create: false}}`.
      contactPermissions: { ...defaults.contactPermissions, ...given.contactPermissions },
    };
    const mock = new SalesforceMock(
      settings,
      { token: options.token, webhookSecret: options.webhookSecret },
      options.faults,
      options.timeScale,
      options.truth,
    );
    registerSalesforceErrorReplies(app);
    registerAuthRoutes(app, mock);
    registerIdentityRoutes(app, mock);
    registerSobjectRoutes(app, mock);
    registerAccountRoutes(app, mock);
    registerCompositeRoutes(app, mock);
    registerQueryRoutes(app, mock);
    registerOutboundRoutes(app, mock);
    registerCometdRoutes(app, mock);
    return {
      delivery: mock.engine,
      objectTypes: ['contacts'],
      faultResponse: (kind) => SALESFORCE_FAULTS[kind],
      supportsMerge: true,
      // Changes made inside the org (imports, other users): an upsert by the external id field,
      // which runs the same automation, so the same Outbound Messages go out. Deletes and merges
      // come from the UI or Apex (REST has no merge); unknown external ids are skipped.
      firehose(_objectType, inputs, now) {
        for (const [i, input] of inputs.entries()) {
          const record = mock.findBy(EXTERNAL_ID_FIELD, input.externalId);
          if (input.mergeInto !== undefined) {
            const winner = mock.findBy(EXTERNAL_ID_FIELD, input.mergeInto);
            if (!winner || winner === record)
              throw new Error(`firehose inputs[${i}]: no other Contact to merge into: ${input.mergeInto}`);
            if (record) mock.merge(record, winner, now);
            continue;
          }
          if (input.deleted === true) {
            if (record) mock.delete(record, now);
            continue;
          }
          // An import maps the columns the org has and leaves the rest, as Data Loader does.
          const mapped = Object.entries(toSalesforceFields(input.fields)).filter(([name]) =>
            contactField(name),
          );
          const check = checkWrite(Object.fromEntries(mapped));
          const outcome = check.ok
            ? mock.upsert(EXTERNAL_ID_FIELD, input.externalId, check.values, now, /* asOrg */ true)
            : check;
          if (!outcome.ok) throw new Error(`firehose inputs[${i}]: ${outcome.errorCode}: ${outcome.message}`);
        }
      },
    };
  },
};
