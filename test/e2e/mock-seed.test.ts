import { describe, expect, it } from 'vitest';
import { getVendor, VENDORS } from '../../harness/vendors/index.js';
import { poc, spawnCli, stopChild, waitForLine } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

const TOKEN = 'seed-test-token-0123456789';
const SECRET = 'c2VlZC10ZXN0LXdlYmhvb2stc2VjcmV0';

describe('poc mock-vendor --seed-records', () => {
  it.each(Object.keys(VENDORS))(
    '%s starts with the messy records, readable through its own API',
    async (vendor) => {
      const data = tempDir();
      const mock = spawnCli(
        poc`mock-vendor --vendor ${vendor} --port 0 --seed-records 30 --data-dir ${data.path}`,
        {
          env: { POC_MOCK_TOKEN: TOKEN, POC_MOCK_WEBHOOK_SECRET: SECRET },
        },
      );
      try {
        const url = /listening on (\S+)/.exec(await waitForLine(mock, /listening on/))?.[1] ?? '';
        const api = getVendor(vendor).api({
          baseUrl: url,
          token: TOKEN,
          webhookSecret: SECRET,
        });
        const page = await api.listRecords('contacts', undefined);
        expect(page.records.length, vendor).toBeGreaterThan(0);
      } finally {
        await stopChild(mock);
        data.remove();
      }
    },
  );
});
