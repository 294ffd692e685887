import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PocError } from '../errors.js';
import { type Db, openDb } from '../pipeline/sqlite.js';
import type { Check, Finding, ResultTable, RunStatus } from './findings.js';

export interface RunMeta {
  readonly scenario: string;
  readonly vendor: string;
  readonly target: 'mock' | 'live';
  readonly config: Readonly<Record<string, unknown>>;
  /** The playbook the run belongs to, when `poc playbook` started it. */
  readonly playbookId?: string;
  /** `--tag key=value`: labels on the run's series, and how runs are found again. */
  readonly tags?: Readonly<Record<string, string>>;
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

export type RunMetaRow = Omit<StoredRun, 'findings' | 'checks' | 'notes' | 'tables'> & {
  /** Vendor API requests the run sent, when it ran under a budget. */
  readonly vendorRequests?: number;
};

interface RunRow {
  id: string;
  scenario: string;
  vendor: string;
  target: 'mock' | 'live';
  status: RunStatus;
  started_at: string;
  ended_at: string | null;
  config: string;
  playbook_id: string | null;
  vendor_requests: number | null;
  tags: string | null;
}

/** One `poc playbook`: the plan as it was read, and what it was asked to run. */
export interface StoredPlaybook {
  readonly id: string;
  readonly planPath: string;
  /** The plan file's text when the playbook started: `--resume` runs exactly this plan. */
  readonly planText: string;
  /** The vendors and scenarios selected (--vendors, --scenarios), in order. */
  readonly vendors: readonly string[];
  readonly scenarios: readonly string[];
  readonly status: 'running' | 'finished' | 'interrupted';
  readonly startedAt: string;
  readonly endedAt: string | null;
}

/** A sortable, readable run id: 20261123-174512-3fa9c1. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, scenario TEXT NOT NULL, vendor TEXT NOT NULL, target TEXT NOT NULL,
    status TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, config TEXT NOT NULL,
    pid INTEGER, host TEXT, heartbeat_at TEXT, tags TEXT, playbook_id TEXT, vendor_requests INTEGER
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
  CREATE TABLE IF NOT EXISTS playbooks (
    id TEXT PRIMARY KEY, plan_path TEXT NOT NULL, plan_text TEXT NOT NULL, vendors TEXT NOT NULL,
    scenarios TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT
  );
`;

/** Columns added after the first release: a runs.db written by an older poc gets them on open. */
const ADDED_COLUMNS = [
  'pid INTEGER',
  'host TEXT',
  'heartbeat_at TEXT',
  'playbook_id TEXT',
  // Vendor API requests the run sent (its budget's count): a playbook's live budget spans runs.
  'vendor_requests INTEGER',
  'tags TEXT',
];

/**
 * A run whose process is gone, or that has not beaten for this long (a pid reused by another
 * process), died before it could store an outcome. The sampler beats every second.
 */
const HEARTBEAT_STALE_MS = 5 * 60_000;

export interface RunStoreOptions {
  /**
   * `write` (the default) creates the folder and the store; `read` never creates anything: an
   * absent store reads as empty, a folder poc may not write is read from a private copy.
   */
  readonly mode?: 'write' | 'read';
  /** Run SQLite's quick_check before anything else (poc run: refuse a damaged store before the load). */
  readonly check?: boolean;
}

/** Every run's config, findings and checks, in runs.db under the data dir. */
export class RunStore {
  private readonly db: Db;
  private readonly copy: string | undefined;

  constructor(dataDir: string, options: RunStoreOptions = {}) {
    const file = join(dataDir, 'runs.db');
    if (existsSync(dataDir) && !statSync(dataDir).isDirectory())
      throw new PocError(
        'POC_ERR_DATA_DIR',
        `--data-dir: ${dataDir} is a file, not a folder; give a folder (created when missing)`,
      );
    const opened =
      options.mode === 'read' ? openForReading(file) : { db: openForWriting(file, dataDir), copy: undefined };
    this.db = opened.db;
    this.copy = opened.copy;
    if (options.check) this.checkIntegrity(file);
    this.markCrashed();
  }

  /** Refuses a damaged store before any load: a run must not execute only to lose its result. */
  private checkIntegrity(file: string): void {
    let verdict: string;
    try {
      verdict = String(this.db.pragma('quick_check', { simple: true }));
    } catch (err) {
      verdict = (err as Error).message;
    }
    if (verdict !== 'ok') throw damaged(file, verdict);
  }

  /** Runs left `running` by a process that is gone become `crashed`, keeping what they stored. */
  private markCrashed(): void {
    const rows = this.db
      .prepare("SELECT id, pid, host, heartbeat_at, started_at FROM runs WHERE status = 'running'")
      .all() as {
      id: string;
      pid: number | null;
      host: string | null;
      heartbeat_at: string | null;
      started_at: string;
    }[];
    for (const row of rows) {
      const beat = row.heartbeat_at ?? row.started_at;
      if (!isDead(row.pid, row.host, beat)) continue;
      this.db.transaction(() => {
        this.db.prepare("UPDATE runs SET status = 'crashed', ended_at = ? WHERE id = ?").run(beat, row.id);
        this.db
          .prepare('INSERT OR IGNORE INTO outputs (run_id, notes, tables) VALUES (?, ?, ?)')
          .run(
            row.id,
            JSON.stringify([
              `crashed: the process${row.pid ? ` (pid ${row.pid})` : ''} ended without storing an outcome (killed, out of memory or power lost); last sign of life ${beat}. The config and the per-second series stored until then are kept; findings and checks were never computed.`,
            ]),
            '[]',
          );
      })();
    }
  }

  /** The run is alive: written every second while it runs, so a dead one can be told apart. */
  heartbeat(id: string): void {
    this.db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(new Date().toISOString(), id);
  }

  begin(meta: RunMeta, id = newRunId()): string {
    this.db
      .prepare(
        'INSERT INTO runs (id, scenario, vendor, target, status, started_at, config, pid, host, heartbeat_at, playbook_id, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        meta.scenario,
        meta.vendor,
        meta.target,
        'running',
        new Date().toISOString(),
        JSON.stringify(meta.config),
        process.pid,
        hostname(),
        new Date().toISOString(),
        meta.playbookId ?? null,
        JSON.stringify(meta.tags ?? {}),
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
    vendorRequests?: number,
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
        .prepare('UPDATE runs SET status = ?, ended_at = ?, vendor_requests = ? WHERE id = ?')
        .run(status, new Date().toISOString(), vendorRequests ?? null, id);
    })();
  }

  beginPlaybook(playbook: Omit<StoredPlaybook, 'status' | 'startedAt' | 'endedAt'>): void {
    this.db
      .prepare(
        "INSERT INTO playbooks (id, plan_path, plan_text, vendors, scenarios, status, started_at) VALUES (?, ?, ?, ?, ?, 'running', ?)",
      )
      .run(
        playbook.id,
        playbook.planPath,
        playbook.planText,
        JSON.stringify(playbook.vendors),
        JSON.stringify(playbook.scenarios),
        new Date().toISOString(),
      );
  }

  endPlaybook(id: string, status: 'running' | 'finished' | 'interrupted'): void {
    this.db
      .prepare('UPDATE playbooks SET status = ?, ended_at = ? WHERE id = ?')
      .run(status, status === 'running' ? null : new Date().toISOString(), id);
  }

  /** A playbook by id, `latest`, or a unique prefix. */
  getPlaybook(ref: string): StoredPlaybook {
    const rows = (
      ref === 'latest'
        ? this.db.prepare('SELECT * FROM playbooks ORDER BY started_at DESC, id DESC LIMIT 1').all()
        : this.db
            .prepare("SELECT * FROM playbooks WHERE id = ? OR id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6")
            .all(ref, `${escapeLike(ref)}%`)
    ) as PlaybookRow[];
    const row = rows.find((r) => r.id === ref) ?? (rows.length === 1 ? rows[0] : undefined);
    if (!row)
      throw new PocError(
        'POC_ERR_RUN_NOT_FOUND',
        rows.length === 0
          ? `no playbook "${ref}" in this data dir; \`poc list playbooks\` lists them`
          : `"${ref}" is the start of several playbooks (${rows.map((r) => r.id).join(', ')}); give more of the id`,
      );
    return {
      id: row.id,
      planPath: row.plan_path,
      planText: row.plan_text,
      vendors: JSON.parse(row.vendors) as string[],
      scenarios: JSON.parse(row.scenarios) as string[],
      status: row.status,
      startedAt: row.started_at,
      endedAt: row.ended_at,
    };
  }

  /** Every playbook, newest first. */
  playbooks(limit = 50): StoredPlaybook[] {
    const ids = this.db
      .prepare('SELECT id FROM playbooks ORDER BY started_at DESC, id DESC LIMIT ?')
      .all(limit) as {
      id: string;
    }[];
    return ids.map((r) => this.getPlaybook(r.id));
  }

  /** The runs a playbook started, oldest first, with what each spent on the vendor's API. */
  runsOfPlaybook(id: string): RunMetaRow[] {
    const rows = this.db
      .prepare('SELECT * FROM runs WHERE playbook_id = ? ORDER BY started_at, id')
      .all(id) as RunRow[];
    return rows.map(toMeta);
  }

  list(limit = 50): RunMetaRow[] {
    const rows = this.db
      .prepare('SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?')
      .all(limit) as RunRow[];
    return rows.map(toMeta);
  }

  /**
   * The run a user means: `latest` (the newest), a full id, or a prefix of exactly one id
   * (`20261203-1402` or the trailing hex); anything else is POC_ERR_RUN_NOT_FOUND saying why.
   */
  resolveId(ref: string): string {
    if (ref === 'latest') {
      const row = this.db.prepare('SELECT id FROM runs ORDER BY started_at DESC, id DESC LIMIT 1').get() as
        | { id: string }
        | undefined;
      if (!row)
        throw new PocError('POC_ERR_RUN_NOT_FOUND', 'no run in this data dir yet, so none is the latest');
      return row.id;
    }
    const rows = this.db
      .prepare(
        "SELECT id FROM runs WHERE id = ? OR id LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6",
      )
      .all(ref, `${escapeLike(ref)}%`, `%-${escapeLike(ref)}`) as { id: string }[];
    if (rows.some((r) => r.id === ref)) return ref;
    if (rows.length === 1 && rows[0]) return rows[0].id;
    if (rows.length === 0)
      throw new PocError('POC_ERR_RUN_NOT_FOUND', `no run with id "${ref}" in this data dir`);
    throw new PocError(
      'POC_ERR_RUN_NOT_FOUND',
      `"${ref}" is the start of several runs (${rows.map((r) => r.id).join(', ')}${rows.length > 5 ? ', ...' : ''}); give more of the id`,
    );
  }

  get(ref: string): StoredRun {
    const id = this.resolveId(ref);
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) throw new PocError('POC_ERR_RUN_NOT_FOUND', `no run with id "${id}" in this data dir`);
    const findings = this.db
      .prepare('SELECT key, value, unit, evidence FROM findings WHERE run_id = ? ORDER BY rowid')
      .all(id) as Finding[];
    const checks = (
      this.db
        .prepare(
          'SELECT key, op, threshold, value, passed, source FROM checks WHERE run_id = ? ORDER BY rowid',
        )
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
    if (this.copy) rmSync(this.copy, { recursive: true, force: true });
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function damaged(file: string, verdict: string): PocError {
  return new PocError(
    'POC_ERR_STORE_DAMAGED',
    `${file} is damaged (${verdict.split('\n')[0]}); move it aside (mv ${file} ${file}.damaged) and run again: a new store is created`,
  );
}

/** The tables, and the columns an older runs.db lacks. */
function migrate(db: Db): void {
  // One writer at a time (BEGIN IMMEDIATE): two commands opening an older store together must not
  // both see a column missing and both add it.
  db.transaction(() => {
    db.exec(SCHEMA);
    const have = new Set(
      (db.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name),
    );
    for (const column of ADDED_COLUMNS)
      if (!have.has(column.split(' ')[0] ?? '')) db.exec(`ALTER TABLE runs ADD COLUMN ${column}`);
  }).immediate();
}

function openForWriting(file: string, dataDir: string): Db {
  let db: Db;
  try {
    db = openDb(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw damaged(file, (err as Error).message);
    if (
      [
        'EACCES',
        'EPERM',
        'EROFS',
        'SQLITE_CANTOPEN',
        'SQLITE_READONLY',
        'SQLITE_READONLY_DIRECTORY',
      ].includes(code)
    )
      throw new PocError(
        'POC_ERR_DATA_DIR',
        `--data-dir: cannot write in ${dataDir} (${code}); give a folder you can write`,
      );
    throw err;
  }
  try {
    migrate(db);
  } catch (err) {
    db.close();
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw damaged(file, (err as Error).message);
    if (code.startsWith('SQLITE_READONLY'))
      throw new PocError(
        'POC_ERR_DATA_DIR',
        `--data-dir: cannot write in ${dataDir} (${code}); give a folder you can write`,
      );
    throw err;
  }
  return db;
}

/**
 * For reading only: an absent store reads as empty and nothing is created; a store in a folder
 * poc may not write (SQLite needs to write a WAL index next to it even to read) is read from a
 * private copy, so `poc list runs` and `poc show` work on a read-only data dir.
 */
function openForReading(file: string): { db: Db; copy: string | undefined } {
  if (!existsSync(file)) {
    const db = new Database(':memory:');
    migrate(db);
    return { db, copy: undefined };
  }
  try {
    const db = new Database(file, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return { db, copy: undefined };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw damaged(file, (err as Error).message);
    if (!code.startsWith('SQLITE_READONLY') && code !== 'SQLITE_CANTOPEN') throw err;
  }
  const copy = mkdtempSync(join(tmpdir(), 'poc-runs-'));
  for (const suffix of ['', '-wal'])
    if (existsSync(`${file}${suffix}`)) copyFileSync(`${file}${suffix}`, join(copy, `runs.db${suffix}`));
  const db = new Database(join(copy, 'runs.db'));
  migrate(db);
  return { db, copy };
}

/** Whether the process that runs `pid` on `host` is gone, or silent since `beat` for too long. */
function isDead(pid: number | null, host: string | null, beat: string): boolean {
  if (Date.now() - Date.parse(beat) > HEARTBEAT_STALE_MS) return true;
  // Another machine's process (a data dir on a shared disk) is judged by its heartbeat alone.
  if (pid === null || host !== hostname()) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
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
    ...(row.playbook_id ? { playbookId: row.playbook_id } : {}),
    // Runs stored before tags existed have none.
    tags: row.tags ? (JSON.parse(row.tags) as Record<string, string>) : {},
    ...(row.vendor_requests !== null && row.vendor_requests !== undefined
      ? { vendorRequests: row.vendor_requests }
      : {}),
  };
}

interface PlaybookRow {
  id: string;
  plan_path: string;
  plan_text: string;
  vendors: string;
  scenarios: string;
  status: StoredPlaybook['status'];
  started_at: string;
  ended_at: string | null;
}
