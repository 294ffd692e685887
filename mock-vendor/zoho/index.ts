import type { ZohoOperation } from '../../harness/vendors/zoho/fields.js';
import { toZohoFields } from '../../harness/vendors/zoho/fields.js';
import type { MockProfile } from '../profile.js';
import { defaultZohoSettings, type ZohoMockSettings } from '../profiles/zoho.js';
import { ZOHO_FAULTS } from './errors.js';
import { registerFieldRoutes } from './fields-routes.js';
import { registerGuard } from './guard.js';
import { ZohoMock } from './mock.js';
import { MODULES, moduleByObjectType } from './modules.js';
import type { RecordChange } from './notifications.js';
import { registerOauthRoutes } from './oauth-routes.js';
import { registerRecordRoutes } from './records-routes.js';
import { registerUserRoutes } from './users-routes.js';
import { registerWatchRoutes } from './watch-routes.js';

export const zohoMockProfile: MockProfile = {
  id: 'zoho',
  create(app, options) {
    const overrides = options.settings as Partial<ZohoMockSettings>;
    // Choosing an edition brings its limits; explicit limits still win.
    const settings: ZohoMockSettings = {
      ...defaultZohoSettings(options.token, overrides.edition),
      ...overrides,
    };
    const mock = new ZohoMock(settings, options.token, options.faults, options.timeScale, options.truth);
    // The mock's routes live in their own scope so Zoho's auth and limits never touch /__admin.
    app.register(
      async (crm) => {
        registerGuard(crm, mock);
        registerUserRoutes(crm);
        registerFieldRoutes(crm);
        registerWatchRoutes(crm, mock);
        registerRecordRoutes(crm, mock);
      },
      { prefix: '/crm/v8' },
    );
    registerOauthRoutes(app, mock);
    // A firehose call has no request to read the host from; resource_uri names the listening origin.
    const origin = () => {
      const address = app.server.address();
      return address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : 'http://127.0.0.1';
    };
    return {
      delivery: mock.channels,
      objectTypes: MODULES.map((m) => m.objectType),
      faultResponse: (kind) => ZOHO_FAULTS[kind],
      // Changes made inside Zoho (imports, other users) upsert by the duplicate-check field and
      // notify exactly as an API upsert of the same chunk would.
      firehose(objectType, inputs, now) {
        const module = moduleByObjectType(objectType);
        if (!module) return;
        const max = settings.batchMax;
        for (let start = 0; start < inputs.length; start += max) {
          const changes = new Map<ZohoOperation, RecordChange[]>();
          inputs.slice(start, start + max).forEach((input, i) => {
            const fields = { ...toZohoFields(input.fields), [module.duplicateCheck]: input.externalId };
            const outcome = mock.write(module, fields, 'upsert', i, now);
            if (!outcome.ok) return;
            const list = changes.get(outcome.action) ?? [];
            list.push(outcome.change);
            changes.set(outcome.action, list);
          });
          mock.notifyWrites(module, origin(), changes, now);
        }
      },
    };
  },
};
