import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

interface RunJson {
  status: string;
  findings: Record<string, { value: number; unit: string }>;
  notes: string[];
  tables: { title: string; columns: string[]; rows: string[][] }[];
}

/** What each vendor really offers to get missed events back (shared/vendors.md). */
const VENDORS: { vendor: string; mechanism: string; feed: boolean; deletedList: boolean }[] = [
  { vendor: 'hubspot', mechanism: 'modified-since backfill', feed: false, deletedList: true },
  { vendor: 'salesforce', mechanism: 'replay', feed: true, deletedList: true },
  { vendor: 'pipedrive', mechanism: 'modified-since backfill', feed: false, deletedList: false },
  { vendor: 'zoho', mechanism: 'modified-since backfill', feed: false, deletedList: true },
  { vendor: 'dynamics', mechanism: 'delta link', feed: true, deletedList: false },
  { vendor: 'standard', mechanism: 'modified-since backfill', feed: false, deletedList: true },
];

async function replayBackfill(dataDir: string, vendor: string, extra: string[] = []): Promise<RunJson> {
  const result = await runCli(
    ['run', 'replay-backfill', '--vendor', vendor, '--json', '--data-dir', dataDir, ...extra],
    { timeoutMs: 600_000 },
  );
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as RunJson;
}

const value = (json: RunJson, key: string) => json.findings[key]?.value ?? Number.NaN;

describe('poc run replay-backfill (the CLI as a user runs it)', () => {
  const data = tempDir('poc-e2e-replay-');
  afterAll(() => data.remove());

  it.each(VENDORS)(
    '$vendor: a 10-minute outage in a 30-day history of 50,000 changes is recovered by $mechanism and reconciles clean',
    async ({ vendor, mechanism, feed, deletedList }) => {
      const json = await replayBackfill(data.path, vendor);
      expect(json.status).toBe('passed');
      expect(value(json, 'history.changes_count')).toBeGreaterThanOrEqual(50_000);
      expect(value(json, 'history.span_s')).toBe(30 * 86_400);
      expect(value(json, 'outage.duration_s')).toBe(600);
      // The outage was real: the vendor's deliveries were refused while changes kept happening.
      expect(value(json, 'outage.changes_count')).toBe(2000);
      expect(value(json, 'outage.deliveries_refused_count')).toBeGreaterThan(0);
      expect(value(json, 'reconcile.vendor_records_count')).toBeGreaterThan(1000);
      expect(value(json, 'reconcile.missing_count')).toBe(0);
      expect(value(json, 'reconcile.stale_count')).toBe(0);
      expect(value(json, 'reconcile.duplicates_count')).toBe(0);
      expect(value(json, 'replay.available')).toBe(feed ? 1 : 0);
      if (feed) expect(value(json, 'replay.covers_outage')).toBe(1);
      else expect(value(json, 'backfill.records_fetched_count')).toBeGreaterThan(0);
      expect(Number.isNaN(value(json, 'backfill.deleted_recovered_count'))).toBe(feed || !deletedList);
      // The report says which mechanism recovered what.
      const table = json.tables.find((t) => t.title === 'Recovery by mechanism');
      const mechanisms = table?.rows.map((r) => r[0]) ?? [];
      expect(mechanisms).toEqual(expect.arrayContaining(['vendor retries', mechanism, 'reconcile repair']));
    },
    600_000,
  );

  it.each([
    { vendor: 'salesforce', outage: '4d', timeScale: '36000', retention: '72 h CDC retention' },
    { vendor: 'dynamics', outage: '31d', timeScale: '1000000', retention: '30 d change tracking' },
  ])(
    '$vendor: an outage of $outage outlives the $retention: reported as not replayable, the backfill closes the gap',
    async ({ vendor, outage, timeScale }) => {
      const json = await replayBackfill(data.path, vendor, [
        '--outage',
        outage,
        '--time-scale',
        timeScale,
        '--changes',
        '5000',
        '--outage-changes',
        '500',
      ]);
      expect(value(json, 'replay.available')).toBe(1);
      expect(value(json, 'replay.covers_outage')).toBe(0);
      expect(json.notes.join('\n')).toMatch(/not replayable: the outage \(\d+d\) outlived the/);
      expect(value(json, 'backfill.records_fetched_count')).toBeGreaterThan(0);
      expect(value(json, 'backfill.recovered_count')).toBeGreaterThan(0);
      expect(value(json, 'reconcile.missing_count')).toBe(0);
      expect(value(json, 'reconcile.stale_count')).toBe(0);
      expect(json.status).toBe('passed');
    },
    600_000,
  );
});
