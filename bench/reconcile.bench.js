// Reconcile benchmark: how many records/s does `reconcile` compare, field by field, between a
// local store (SQLite) and a vendor snapshot read through the vendor's own cursor pagination,
// on a mock holding 1,000,000 records with its rate limits off. Prints figures measured in this
// run only, with a baseline from the same run: reading the same snapshot without comparing.
//
//   npm run build && node bench/reconcile.bench.js [--records N] [--vendors standard,dynamics]
//
// The mock runs in its own process (the other core); the store and the comparison in this one.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LocalStore } from '../dist/harness/pipeline/local-store.js';
import { openDb } from '../dist/harness/pipeline/sqlite.js';
import { reconcile } from '../dist/harness/recovery/reconcile.js';
import { getVendor } from '../dist/harness/vendors/index.js';
import { parseOptions } from './options.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const TOKEN = 'bench-reconcile-token';
const SECRET = 'bench-reconcile-secret-0123456789';
const USAGE = `usage: node bench/reconcile.bench.js [options]   (after npm run build)
  --records N        records in the mock and the store (default 1000000)
  --vendors a,b      vendor mocks to run it on (default standard; dynamics, hubspot too)`;

// Rate limits off: the bench measures poc, not the vendor's throttling.
const NO_LIMITS = {
  standard: { rateLimit: { style: 'fixed', limit: 1e12, windowMs: 1000 } },
  dynamics: { requestsLimit: 1e12, executionTimeLimitMs: 1e12, concurrentLimit: 1e6 },
  hubspot: {
    rateLimit: { style: 'fixed', limit: 1e12, windowMs: 1000 },
    searchPerSecond: 1e12,
    dailyLimit: 1e12,
  },
};

function options() {
  const { values } = parseOptions(USAGE, {
    records: { type: 'string', default: '1000000' },
    vendors: { type: 'string', default: 'standard' },
  });
  const opts = { records: Number(values.records), vendors: values.vendors.split(',') };
  if (!Number.isInteger(opts.records) || opts.records < 1 || opts.records > 1_000_000) {
    console.error('--records must be an integer from 1 to 1000000 (the mock seeds at most that many)');
    process.exit(2);
  }
  for (const v of opts.vendors) {
    if (!NO_LIMITS[v]) {
      console.error(`--vendors: no limits-off settings for "${v}"; use ${Object.keys(NO_LIMITS).join(', ')}`);
      process.exit(2);
    }
  }
  return opts;
}

async function startMock(vendor) {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'poc.js'), 'mock-vendor', '--vendor', vendor, '--port', '0', '--ready-line'],
    {
      env: {
        PATH: process.env.PATH,
        POC_MOCK_TOKEN: TOKEN,
        POC_MOCK_WEBHOOK_SECRET: SECRET,
        POC_MOCK_SETTINGS: JSON.stringify(NO_LIMITS[vendor]),
        NODE_OPTIONS: '--max-old-space-size=8192',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`mock-vendor exited with ${code}`)));
  });
  return { child, url: JSON.parse(line).url };
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);

async function benchVendor(vendorId, records) {
  const vendor = getVendor(vendorId);
  const { child, url } = await startMock(vendorId);
  const dir = mkdtempSync(join(tmpdir(), 'poc-bench-reconcile-'));
  try {
    let t = Date.now();
    const seeded = await fetch(`${url}/__admin/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ objectType: 'contacts', count: records, seed: 7 }),
    });
    if (!seeded.ok) throw new Error(`seed: ${seeded.status} ${await seeded.text()}`);
    console.log(
      `${vendorId}: seeded ${records} messy records (faker) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
    const api = vendor.api({ baseUrl: url, token: TOKEN, webhookSecret: SECRET });
    const db = openDb(join(dir, 'pipeline.db'), 'process-crash');
    const store = new LocalStore(db);

    // Baseline: the snapshot alone (HTTP pages, JSON, field mapping), no store work.
    t = Date.now();
    let read = 0;
    let pages = 0;
    let cursor;
    do {
      const page = await api.listRecords('contacts', cursor);
      read += page.records.length;
      pages++;
      cursor = page.cursor;
    } while (cursor !== undefined);
    const baselineMs = Date.now() - t;

    // Initial sync: the store filled from the snapshot, as a first backfill would.
    t = Date.now();
    cursor = undefined;
    do {
      const page = await api.listRecords('contacts', cursor);
      const at = Date.now();
      store.transaction(() => {
        for (const r of page.records) store.applyState({ deleted: false, ...r }, at);
      });
      cursor = page.cursor;
    } while (cursor !== undefined);
    const syncMs = Date.now() - t;

    const report = await reconcile(api, store, db, 'contacts');
    db.close();
    const rate = (n, ms) => Math.round((n * 1000) / Math.max(1, ms));
    console.log(
      `${vendorId}: snapshot read alone   ${read} records, ${pages} pages, ${(baselineMs / 1000).toFixed(1)} s = ${rate(read, baselineMs)} records/s (baseline)`,
    );
    console.log(
      `${vendorId}: initial sync          ${(syncMs / 1000).toFixed(1)} s = ${rate(read, syncMs)} records/s`,
    );
    console.log(
      `${vendorId}: reconcile             ${report.vendorRecords} records, ${(report.durationMs / 1000).toFixed(1)} s = ${rate(report.vendorRecords, report.durationMs)} records/s, ` +
        `ratio to the baseline ${(baselineMs / report.durationMs).toFixed(2)}; drift: missing ${report.missing}, stale ${report.stale}, extra ${report.extra}, duplicates ${report.duplicates}`,
    );
    if (
      report.vendorRecords !== read ||
      report.missing + report.stale + report.extra + report.duplicates > 0
    ) {
      throw new Error(`${vendorId}: reconcile of an in-sync store found drift or lost records`);
    }
    return rate(report.vendorRecords, report.durationMs);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const opts = options();
const results = [];
for (const v of opts.vendors) results.push([v, await benchVendor(v, opts.records)]);
clearInterval(sampler);
console.log(`peak RSS of the reconciling process: ${Math.round(peakRss / 1e6)} MB`);
for (const [v, r] of results)
  console.log(`${v}: ${r} records/s (aim > 50000: ${r > 50_000 ? 'met' : 'not met'})`);
