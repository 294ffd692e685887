import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createProgressPrinter } from '../../reports/progress.js';
import { renderSummary, summaryJson } from '../../reports/summary.js';
import { EXIT, type ExitCode, PocError } from '../errors.js';
import { LocalStore } from '../pipeline/local-store.js';
import { type Db, openDb } from '../pipeline/sqlite.js';
import { RECONCILE_FINDINGS } from '../recovery/findings.js';
import { driftCount, reconcile } from '../recovery/reconcile.js';
import type { Finding } from '../runs/findings.js';
import type { RunOutcome } from '../runs/outcome.js';
import { newRunId, RunStore } from '../runs/run-store.js';
import { evaluate, parseThreshold, type Threshold } from '../runs/thresholds.js';
import { defineFindings, toFindings } from '../runs/vocabulary.js';
import { API_FINDINGS, connectApi } from '../targets/connect.js';
import { liveTarget } from '../targets/live.js';
import { getVendor } from '../vendors/index.js';

export interface ReconcileFlags {
  vendor: string;
  live: boolean;
  store: string;
  dataDir: string;
  repair: boolean;
  json: boolean;
  threshold: string[];
}

/** What `poc reconcile` reports: the reconcile's findings and the API calls they cost. */
const FINDINGS = defineFindings({
  ...RECONCILE_FINDINGS,
  'api.requests_count': API_FINDINGS['api.requests_count'],
});

const DEFAULT_CHECKS: Threshold[] = ['missing', 'stale', 'extra', 'duplicates'].map((k) => ({
  key: `reconcile.${k}_count`,
  op: '==',
  threshold: 0,
  source: 'default',
}));

/** Opens a local store, refusing files that are not one: a repair must not write into them. */
function openStore(path: string): Db {
  let db: Db | undefined;
  try {
    db = openDb(path);
    const hasRecords = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'")
      .get();
    if (!hasRecords) throw new Error('it holds no local store (no records table)');
    return db;
  } catch (err) {
    db?.close();
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--store: ${path} is not a local store (${(err as Error).message}); give the pipeline.db of \`poc receiver\` or of a run`,
    );
  }
}

/**
 * `poc reconcile`: the nightly check on its own. Compares the local store a receiver keeps with a
 * full snapshot of the vendor, stores the result as a run, and exits 99 on drift (cron alerts).
 */
export async function reconcileCommand(flags: ReconcileFlags, signal: AbortSignal): Promise<ExitCode> {
  const vendor = getVendor(flags.vendor);
  const thresholds = flags.threshold.map((t) => parseThreshold(t, Object.keys(FINDINGS)));
  if (!flags.live) {
    const env = vendor.profile.credentialsEnv.baseUrl;
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--live: reconcile compares your store with a vendor that keeps its records; add --live (set ${env} to reconcile against a running \`poc mock-vendor\`)`,
    );
  }
  if (!existsSync(flags.store)) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `--store: ${flags.store} does not exist; give the pipeline.db of \`poc receiver\` (its --data-dir) or of a run (.poc/runs/<id>/pipeline.db)`,
    );
  }
  const target = liveTarget(vendor);
  const db = openStore(flags.store);
  const runs = new RunStore(flags.dataDir, { check: true });
  const progress = createProgressPrinter();
  const runId = newRunId();
  const runDir = join(flags.dataDir, 'runs', runId);
  try {
    const local = new LocalStore(db);
    runs.begin(
      {
        scenario: 'reconcile',
        vendor: vendor.profile.id,
        target: target.kind,
        config: { store: flags.store, repair: flags.repair, thresholds: flags.threshold },
      },
      runId,
    );
    const { api, counters } = connectApi(target, { signal });
    let status: RunOutcome['status'] = 'error';
    let findings: Finding[] = [];
    let notes: string[] = [];
    let samples: string[][] = [];
    try {
      const report = await reconcile(api, local, db, 'contacts', {
        repair: flags.repair,
        signal,
        samplesPerKind: 10,
        onPage: (n) => progress.update({ phase: 'reconcile', done: n, total: n, detail: 'records read' }),
      });
      const values: Partial<Record<keyof typeof FINDINGS, number>> = {
        'reconcile.vendor_records_count': report.vendorRecords,
        'reconcile.local_records_count': report.localRecords,
        'reconcile.matched_count': report.matched,
        'reconcile.missing_count': report.missing,
        'reconcile.stale_count': report.stale,
        'reconcile.extra_count': report.extra,
        'reconcile.duplicates_count': report.duplicates,
        'reconcile.conflicts_count': report.conflicts,
        'reconcile.repaired_count': report.repaired,
        'reconcile.drift_count': driftCount(report),
        'reconcile.records_per_s': Math.round((report.vendorRecords * 1000) / Math.max(1, report.durationMs)),
        'api.requests_count': counters.requests,
      };
      findings = toFindings(FINDINGS, values, `${target.describe()} snapshot vs ${flags.store}`);
      samples = report.samples.map((s) => [s.kind, s.id, s.detail]);
      if (flags.repair && report.repaired > 0)
        notes.push(
          `repaired ${report.repaired} records from the snapshot; run again to confirm no drift is left`,
        );
      const checks = evaluate([...DEFAULT_CHECKS, ...thresholds], findings);
      status = signal.aborted ? 'aborted' : checks.every((c) => c.passed) ? 'passed' : 'failed';
      const outcome: RunOutcome = {
        runId,
        scenario: 'reconcile',
        vendor: vendor.profile.id,
        target: target.describe(),
        status,
        findings,
        checks,
        notes,
        tables:
          samples.length > 0
            ? [
                {
                  title: 'Drifted records (first of each kind)',
                  columns: ['kind', 'id', 'detail'],
                  rows: samples,
                },
              ]
            : [],
        runDir,
      };
      runs.end(runId, status, findings, checks, { notes, tables: outcome.tables });
      progress.stop();
      const json = summaryJson(outcome);
      await mkdir(runDir, { recursive: true });
      await writeFile(join(runDir, 'summary.json'), `${json}\n`);
      process.stdout.write(`${flags.json ? json : renderSummary(outcome)}\n`);
      return status === 'aborted' ? EXIT.interrupted : status === 'passed' ? EXIT.ok : EXIT.thresholds;
    } catch (err) {
      if (signal.aborted) {
        notes = ['interrupted before the snapshot was read through'];
        runs.end(runId, 'aborted', [], [], { notes, tables: [] });
        return EXIT.interrupted;
      }
      runs.end(runId, 'error', [], [], { notes: [(err as Error).message], tables: [] });
      throw err;
    }
  } finally {
    progress.stop();
    runs.close();
    db.close();
  }
}
