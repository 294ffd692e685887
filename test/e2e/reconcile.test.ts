import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../harness/pipeline/local-store.js';
import { openDb } from '../../harness/pipeline/sqlite.js';
import { runCli, spawnCli, waitForLine } from '../helpers/cli.js';
import { tempDir } from '../helpers/servers.js';

const TOKEN = 'reconcile-e2e-token-7d1f0c';
const SECRET = 'whsec_cmVjb25jaWxlLWUyZS1zZWNyZXQtMDEyMzQ1Njc4OQ';

interface ReconcileJson {
  status: string;
  scenario: string;
  findings: Record<string, { value: number }>;
  tables: { title: string; rows: string[][] }[];
}

/**
 * `poc reconcile` as a nightly job would run it: against a vendor that keeps its records (a
 * standalone `poc mock-vendor`, reached as a live vendor through POC_STANDARD_BASE_URL) and a
 * local store on disk, the way `poc receiver` leaves one.
 */
describe('poc reconcile (the CLI as a user runs it)', () => {
  const dir = tempDir('poc-e2e-reconcile-');
  let stores = 0;
  let store: string;
  let mock: ChildProcess;
  let env: Record<string, string>;
  const reconcile = async (...extra: string[]) => {
    const result = await runCli(
      [
        'reconcile',
        '--vendor',
        'standard',
        '--live',
        '--store',
        store,
        '--data-dir',
        dir.path,
        '--json',
        ...extra,
      ],
      { env },
    );
    return { ...result, json: result.stdout ? (JSON.parse(result.stdout) as ReconcileJson) : undefined };
  };
  const f = (json: ReconcileJson | undefined, key: string) => json?.findings[key]?.value;

  beforeAll(async () => {
    mock = spawnCli(['mock-vendor', '--vendor', 'standard', '--port', '0', '--ready-line'], {
      env: { POC_MOCK_TOKEN: TOKEN, POC_MOCK_WEBHOOK_SECRET: SECRET },
    });
    const url = (JSON.parse(await waitForLine(mock, /"ready"/)) as { url: string }).url;
    env = { POC_STANDARD_BASE_URL: url, POC_STANDARD_API_TOKEN: TOKEN, POC_STANDARD_WEBHOOK_SECRET: SECRET };
    const inputs = Array.from({ length: 300 }, (_, i) => ({
      externalId: `nightly-${i}@poc.example`,
      fields: {
        email: `nightly-${i}@poc.example`,
        firstname: `Ann${i}`,
        lastname: `Lee${i}`,
        phone: '+15550000000',
      },
    }));
    const res = await fetch(`${url}/__admin/firehose`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ objectType: 'contacts', inputs }),
    });
    expect(res.status).toBe(200);
  });
  // Each test its own local store, empty as a receiver that has not heard anything yet leaves it.
  beforeEach(() => {
    store = join(dir.path, `receiver-${++stores}`, 'pipeline.db');
    const db = openDb(store);
    new LocalStore(db);
    db.close();
  });
  afterAll(() => {
    mock?.kill('SIGKILL');
    dir.remove();
  });

  it('refuses to run without --live or with a store that does not exist, naming the flag', async () => {
    const noLive = await runCli(['reconcile', '--vendor', 'standard', '--store', store], { env });
    expect(noLive.code).toBe(2);
    expect(noLive.stderr).toMatch(/--live: .*POC_STANDARD_BASE_URL/);
    const noStore = await runCli(
      ['reconcile', '--vendor', 'standard', '--live', '--store', join(dir.path, 'nope.db')],
      {
        env,
      },
    );
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toMatch(/--store: .*nope\.db does not exist/);
    // Another SQLite file (the run store) is refused rather than filled with a repair.
    const notAStore = join(dir.path, 'other.db');
    new Database(notAStore).exec('CREATE TABLE runs (id TEXT)');
    const wrong = await runCli(
      ['reconcile', '--vendor', 'standard', '--live', '--store', notAStore, '--repair'],
      { env },
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--store: .*other\.db is not a local store \(it holds no local store/);
  });

  it('reports every vendor record as missing from an empty store (exit 99), repairs it, then finds it clean (exit 0)', async () => {
    const first = await reconcile();
    expect(first.code, first.stderr).toBe(99);
    expect(first.json?.scenario).toBe('reconcile');
    expect(f(first.json, 'reconcile.vendor_records_count')).toBe(300);
    expect(f(first.json, 'reconcile.missing_count')).toBe(300);
    const repaired = await reconcile('--repair');
    expect(repaired.code).toBe(99);
    expect(f(repaired.json, 'reconcile.repaired_count')).toBe(300);
    const clean = await reconcile();
    expect(clean.code, clean.stderr).toBe(0);
    expect(f(clean.json, 'reconcile.matched_count')).toBe(300);
    expect(f(clean.json, 'reconcile.drift_count')).toBe(0);
  });

  it('names a stale field, a missing record and an extra record after the store drifted, and keeps secrets out', async () => {
    // A store in sync with the vendor first, as a nightly job finds it on a good night.
    const synced = await reconcile('--repair');
    expect(f(synced.json, 'reconcile.repaired_count'), synced.stderr).toBe(300);
    const db = new Database(store);
    const [a, b] = db
      .prepare('SELECT object_id FROM records ORDER BY object_id LIMIT 2')
      .pluck()
      .all() as string[];
    db.prepare(
      "UPDATE record_properties SET value = 'Tampered' WHERE object_id = ? AND name = 'lastname'",
    ).run(a);
    db.prepare('DELETE FROM record_properties WHERE object_id = ?').run(b);
    db.prepare('DELETE FROM records WHERE object_id = ?').run(b);
    db.prepare(
      "INSERT INTO records (object_id, events_applied, last_occurred_at) VALUES ('ghost-1', 1, 1)",
    ).run();
    db.close();

    const drifted = await reconcile();
    expect(drifted.code).toBe(99);
    expect(f(drifted.json, 'reconcile.stale_count')).toBe(1);
    expect(f(drifted.json, 'reconcile.missing_count')).toBe(1);
    expect(f(drifted.json, 'reconcile.extra_count')).toBe(1);
    expect(f(drifted.json, 'reconcile.matched_count')).toBe(298);
    const samples = drifted.json?.tables.find((t) => t.title.startsWith('Drifted records'))?.rows ?? [];
    expect(samples).toEqual(
      expect.arrayContaining([
        ['stale', a, expect.stringContaining('lastname: local "Tampered"')],
        ['missing', b, 'never reached the local store'],
        ['extra', 'ghost-1', 'live locally, absent at the vendor'],
      ]),
    );
    // The run is stored like any other, with its summary next to it.
    const runs = await runCli(['list', 'runs', '--json', '--data-dir', dir.path], { env });
    expect(runs.stdout).toContain('reconcile');
    const summary = readFileSync(
      join(dir.path, 'runs', (drifted.json as unknown as { runId: string }).runId, 'summary.json'),
      'utf8',
    );
    for (const text of [drifted.stdout, drifted.stderr, runs.stdout, summary]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(SECRET);
    }
    await reconcile('--repair');
    const again = await reconcile();
    expect(again.code, again.stdout).toBe(0);
  });
});
