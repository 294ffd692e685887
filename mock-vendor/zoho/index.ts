import type { ZohoOperation } from '../../harness/vendors/zoho/fields.js';
import { toZohoFields } from '../../harness/vendors/zoho/fields.js';
import type { CanonicalInput, VendorEmulation } from '../emulation.js';
import { registerCoqlRoute } from './coql-route.js';
import { registerZohoErrorReplies } from './error-replies.js';
import { ZOHO_FAULTS } from './errors.js';
import { registerFieldRoutes } from './fields-routes.js';
import { registerGuard } from './guard.js';
import { ZohoMock } from './mock.js';
import { MODULES, moduleByObjectType } from './modules.js';
import type { RecordChange } from './notifications.js';
import { registerOauthRoutes } from './oauth-routes.js';
import { registerRecordRoutes } from './records-routes.js';
import { defaultZohoSettings, type ZohoMockSettings } from './settings.js';
import { registerUserRoutes } from './users-routes.js';
import { registerWatchRoutes } from './watch-routes.js';

export const zohoEmulation: VendorEmulation = {
  id: 'zoho',
  create(app, options) {
    const overrides = options.settings as Partial<ZohoMockSettings>;
    // Choosing an edition brings its limits; explicit limits still win.
    const settings: ZohoMockSettings = {
      ...defaultZohoSettings(options.token, overrides.edition),
      ...overrides,
    };
    const mock = new ZohoMock(settings, options.token, options.faults, options.timeScale, options.truth);
    registerZohoErrorReplies(app);
    // The mock's routes live in their own scope so Zoho's auth and limits never touch /__admin.
    app.register(
      async (crm) => {
        registerGuard(crm, mock);
        registerUserRoutes(crm);
        registerFieldRoutes(crm);
        registerWatchRoutes(crm, mock);
        registerCoqlRoute(crm, mock);
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
      // notify exactly as an API upsert of the same chunk would. A run of deletes is one delete
      // call: Zoho notifies Contacts.delete with the ids only (shared/vendors.md §4.5). Zoho's
      // merge is not emulated (no supportsMerge): whether a merge notifies is undocumented.
      firehose(objectType, inputs, now) {
        const module = moduleByObjectType(objectType);
        if (!module) return;
        for (const chunk of calls(inputs, settings.batchMax)) {
          const changes = new Map<ZohoOperation, RecordChange[]>();
          const add = (operation: ZohoOperation, change: RecordChange) => {
            const list = changes.get(operation) ?? [];
            list.push(change);
            changes.set(operation, list);
          };
          chunk.forEach((input, i) => {
            if (input.deleted) {
              const record = mock.store(module).findBy(module.duplicateCheck, input.externalId);
              const change = record && mock.remove(module, record.id, now);
              if (change) add('delete', change);
              return;
            }
            const fields = { ...toZohoFields(input.fields), [module.duplicateCheck]: input.externalId };
            const outcome = mock.write(module, fields, 'upsert', i, now);
            if (outcome.ok) add(outcome.action, outcome.change);
          });
          mock.notifyWrites(module, origin(), changes, now);
        }
      },
    };
  },
};

/**
 * The API calls a firehose batch stands for: at most `max` records each, and a new call wherever
 * writes turn into deletes or back, as an upsert call and a delete call are separate in Zoho.
 */
function calls(inputs: readonly CanonicalInput[], max: number): CanonicalInput[][] {
  const out: CanonicalInput[][] = [];
  let current: CanonicalInput[] = [];
  for (const input of inputs) {
    const head = current[0];
    if (head && (current.length === max || Boolean(head.deleted) !== Boolean(input.deleted))) {
      out.push(current);
      current = [];
    }
    current.push(input);
  }
  if (current.length > 0) out.push(current);
  return out;
}
