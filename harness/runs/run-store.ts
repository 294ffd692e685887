import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PocError } from '../errors.js';
import { type Db, openDb } from '../pipeline/sqlite.js';
import type { Check, Finding, ResultTable, RunStatus } from './findings.js';

export interface RunMeta {
  readonly scenario: string;
  readonly vendor: string;
  readonly target: 'mock' | 'live';
  readonly config: Readonly<Record<string, unknown>>;
}

export interface StoredRun extends RunMeta {
  readonly id: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly findings: Finding[];
  readonly checks: Check[];
  readonly notes: string[];
  readonly tables: ResultTable[];
}

export type RunMetaRow = Omit<StoredRun, 'findings' | 'checks' | 'notes' | 'tables'>;

interface RunRow {
  id: string;
  scenario: string;
  vendor: string;
  target: 'mock' | 'live';
  status: RunStatus;
  started_at: string;
  ended_at: string | null;
  config: string;
}

/** A sortable, readable run id: 20261123-174512-3fa9c1. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Every run's config, findings and checks, in runs.db under the data dir. */
export class RunStore {
  private readonly db: Db;

  constructor(dataDir: string) {
    this.db = openDb(join(dataDir, 'runs.db'));
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS runs (
        id TEXT PRIMARY KEY, scenario TEXT NOT NULL, vendor TEXT NOT NULL, target TEXT NOT NULL,
        status TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, config TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS findings (
        run_id TEXT NOT NULL REFERENCES runs (id), key TEXT NOT NULL, value REAL NOT NULL,
        unit TEXT NOT NULL, evidence TEXT NOT NULL, PRIMARY KEY (run_id, key)
      );
      CREATE TABLE IF NOT EXISTS outputs (
        run_id TEXT PRIMARY KEY REFERENCES runs (id), notes TEXT NOT NULL, tables TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS checks (
        run_id TEXT NOT NULL REFERENCES runs (id), key TEXT NOT NULL, op TEXT NOT NULL,
        threshold REAL NOT NULL, value REAL, passed INTEGER NOT NULL, source TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS series (
        run_id TEXT NOT NULL REFERENCES runs (id), at INTEGER NOT NULL, key TEXT NOT NULL, value REAL NOT NULL
      );
      CREATE INDEX IF NOT EXISTS series_by_run ON series (run_id, key, at);
    `);
  }

  begin(meta: RunMeta, id = newRunId()): string {
    this.db
      .prepare(
        'INSERT INTO runs (id, scenario, vendor, target, status, started_at, config) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        meta.scenario,
        meta.vendor,
        meta.target,
        'running',
        new Date().toISOString(),
        JSON.stringify(meta.config),
      );
    return id;
  }

  /** Writes the outcome in one transaction: a crash never leaves half a result. */
  end(
    id: string,
    status: RunStatus,
    findings: readonly Finding[],
    checks: readonly Check[],
    outputs: { notes: readonly string[]; tables: readonly ResultTable[] } = { notes: [], tables: [] },
  ): void {
    const insertFinding = this.db.prepare(
      'INSERT OR REPLACE INTO findings (run_id, key, value, unit, evidence) VALUES (?, ?, ?, ?, ?)',
    );
    const insertCheck = this.db.prepare(
      'INSERT INTO checks (run_id, key, op, threshold, value, passed, source) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const f of findings) insertFinding.run(id, f.key, f.value, f.unit, f.evidence);
      this.db
        .prepare('INSERT OR REPLACE INTO outputs (run_id, notes, tables) VALUES (?, ?, ?)')
        .run(id, JSON.stringify(outputs.notes), JSON.stringify(outputs.tables));
      for (const c of checks)
        insertCheck.run(id, c.key, c.op, c.threshold, c.value, c.passed ? 1 : 0, c.source);
      this.db
        .prepare('UPDATE runs SET status = ?, ended_at = ? WHERE id = ?')
        .run(status, new Date().toISOString(), id);
    })();
  }

  list(limit = 50): RunMetaRow[] {
    const rows = this.db
      .prepare('SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?')
      .all(limit) as RunRow[];
    return rows.map(toMeta);
  }

  get(id: string): StoredRun {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) throw new PocError('POC_ERR_RUN_NOT_FOUND', `no run with id "${id}" in this data dir`);
    const findings = this.db
      .prepare('SELECT key, value, unit, evidence FROM findings WHERE run_id = ? ORDER BY key')
      .all(id) as Finding[];
    const checks = (
      this.db
        .prepare('SELECT key, op, threshold, value, passed, source FROM checks WHERE run_id = ?')
        .all(id) as (Omit<Check, 'passed'> & { passed: number })[]
    ).map((c) => ({ ...c, passed: c.passed === 1 }));
    const outputs = this.db.prepare('SELECT notes, tables FROM outputs WHERE run_id = ?').get(id) as
      | { notes: string; tables: string }
      | undefined;
    return {
      ...toMeta(row),
      findings,
      checks,
      notes: outputs ? (JSON.parse(outputs.notes) as string[]) : [],
      tables: outputs ? (JSON.parse(outputs.tables) as ResultTable[]) : [],
    };
  }

  /** Appends one sample of the run's time series (written as the run goes: nothing kept in memory). */
  appendSeries(runId: string, at: number, values: Readonly<Record<string, number>>): void {
    const insert = this.db.prepare('INSERT INTO series (run_id, at, key, value) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(values))
        if (Number.isFinite(value)) insert.run(runId, at, key, value);
    })();
  }

  /** A run's time series by key, oldest first. */
  series(runId: string): Map<string, [at: number, value: number][]> {
    const out = new Map<string, [number, number][]>();
    const rows = this.db
      .prepare('SELECT at, key, value FROM series WHERE run_id = ? ORDER BY key, at')
      .raw()
      .all(runId) as [number, string, number][];
    for (const [at, key, value] of rows) {
      const points = out.get(key) ?? [];
      if (points.length === 0) out.set(key, points);
      points.push([at, value]);
    }
    return out;
  }

  /** The newest finding `key` of a finished run of `scenario` on `vendor`, with its run id. */
  latestFinding(
    vendor: string,
    scenario: string,
    key: string,
  ): { runId: string; value: number; endedAt: string } | undefined {
    return this.db
      .prepare(
        `SELECT r.id AS runId, f.value AS value, r.ended_at AS endedAt FROM findings f JOIN runs r ON r.id = f.run_id
         WHERE r.vendor = ? AND r.scenario = ? AND f.key = ? AND r.status IN ('passed', 'failed')
         ORDER BY r.started_at DESC LIMIT 1`,
      )
      .get(vendor, scenario, key) as { runId: string; value: number; endedAt: string } | undefined;
  }

  close(): void {
    this.db.close();
  }
}

function toMeta(row: RunRow): RunMetaRow {
  return {
    id: row.id,
    scenario: row.scenario,
    vendor: row.vendor,
    target: row.target,
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    config: JSON.parse(row.config) as Record<string, unknown>,
  };
}
