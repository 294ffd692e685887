import { type LocalRecord, type LocalStore, recordKey } from '../pipeline/local-store.js';
import type { Db } from '../pipeline/sqlite.js';
import type { CrmApi, RecordPage, RecordState } from '../vendors/types.js';

/**
 * A page and the time its states are known to hold: when the request was sent, since the vendor
 * answered with at least everything committed by then. (When the answer is handled can be later,
 * behind a comparison, and would let the page overwrite events that arrived in between.)
 */
async function fetchPage(
  api: CrmApi,
  objectType: string,
  cursor: string | undefined,
): Promise<[RecordPage, number]> {
  const sentAt = Date.now();
  const page = await api.listRecords(objectType, cursor);
  return [page, sentAt];
}

/** The canonical fields reconcile compares: what every adapter reads back from its vendor. */
export const RECONCILED_FIELDS = ['email', 'firstname', 'lastname', 'phone'] as const;

export type DriftKind = 'missing' | 'extra' | 'stale' | 'conflict' | 'duplicate';

export interface DriftSample {
  readonly kind: DriftKind;
  readonly id: string;
  /** Which fields differ and how (values are the vendor's data, not secrets). */
  readonly detail: string;
}

export interface ReconcileReport {
  /** Records in the vendor's snapshot (each counted once). */
  readonly vendorRecords: number;
  /** Live local records compared with it. */
  readonly localRecords: number;
  readonly matched: number;
  /** Live at the vendor, absent or deleted locally. */
  readonly missing: number;
  /** Live locally, absent at the vendor. */
  readonly extra: number;
  /** Fields differ and the vendor's state is the newer one. */
  readonly stale: number;
  /** Fields differ but the local value is newer than the snapshot: kept (last writer wins). */
  readonly conflicts: number;
  /** Records the snapshot handed back more than once: a pagination defect at the vendor. */
  readonly duplicates: number;
  /** Missing, stale and extra records fixed from the snapshot (with repair). */
  readonly repaired: number;
  readonly pages: number;
  readonly durationMs: number;
  /** The first few drifted records of each kind, so a person can look them up. */
  readonly samples: readonly DriftSample[];
}

export interface ReconcileOptions {
  /** Make the local store match the snapshot (missing and stale applied, extras deleted). */
  readonly repair?: boolean;
  readonly fields?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onPage?: (records: number) => void;
  /** Drifted records kept per kind for the report. */
  readonly samplesPerKind?: number;
}

type Counts = Record<DriftKind | 'matched' | 'repaired', number>;

/**
 * Compares the local store with a full snapshot of the vendor, read through its cursor
 * pagination, field by field. Memory stays flat whatever the size: the ids seen so far live in
 * a temporary SQLite table, not in a JavaScript set, and extras are found by one anti-join.
 */
export async function reconcile(
  api: CrmApi,
  store: LocalStore,
  db: Db,
  objectType: string,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const started = Date.now();
  const fields = options.fields ?? RECONCILED_FIELDS;
  const perKind = options.samplesPerKind ?? 5;
  const counts: Counts = {
    missing: 0,
    extra: 0,
    stale: 0,
    conflict: 0,
    duplicate: 0,
    matched: 0,
    repaired: 0,
  };
  const samples: DriftSample[] = [];
  const note = (kind: DriftKind, id: string, detail: string) => {
    counts[kind]++;
    if (samples.filter((s) => s.kind === kind).length < perKind) samples.push({ kind, id, detail });
  };

  db.exec(
    'DROP TABLE IF EXISTS temp.reconcile_seen; CREATE TEMP TABLE reconcile_seen (object_id TEXT PRIMARY KEY) WITHOUT ROWID',
  );
  const markPage = db.prepare(
    'INSERT OR IGNORE INTO temp.reconcile_seen (object_id) SELECT value FROM json_each(?)',
  );
  const seenBefore = db
    .prepare<[string], string>(
      'SELECT value FROM json_each(?) WHERE value IN (SELECT object_id FROM temp.reconcile_seen)',
    )
    .pluck();

  /**
   * Marks a page's ids seen and drops the ones already handed back, on an earlier page or
   * earlier on this one; one statement for the usual page that repeats nothing.
   */
  const markAll = (records: readonly RecordState[]): readonly RecordState[] => {
    const ids = JSON.stringify(records.map((r) => r.id));
    const earlier = new Set(seenBefore.all(ids));
    markPage.run(ids);
    const onPage = new Set<string>();
    return records.filter((r) => {
      if (earlier.has(r.id) || onPage.has(r.id)) {
        note('duplicate', r.id, 'handed back twice by the snapshot pagination');
        return false;
      }
      onPage.add(r.id);
      return true;
    });
  };

  const compare = (r: RecordState, local: LocalRecord | undefined, readAt: number) => {
    if (!local || local.deletedAt !== null) {
      if (local?.deletedAt != null && local.deletedAt > readAt) {
        note('conflict', r.id, 'deleted locally after the snapshot was read: kept deleted');
        return;
      }
      note('missing', r.id, local ? 'deleted locally, live at the vendor' : 'never reached the local store');
      if (options.repair) repair(r, readAt);
      return;
    }
    const differing: string[] = [];
    let localNewer = false;
    for (const name of fields) {
      const theirs = r.fields[name] ?? '';
      const mine = local.fields.get(name);
      if ((mine?.value ?? '') === theirs) continue;
      differing.push(`${name}: local "${mine?.value ?? ''}" vendor "${theirs}"`);
      if (mine && mine.occurredAt > readAt) localNewer = true;
    }
    if (differing.length === 0) counts.matched++;
    else if (localNewer) note('conflict', r.id, `local newer, kept: ${differing.join('; ')}`);
    else {
      note('stale', r.id, differing.join('; '));
      if (options.repair) repair(r, readAt);
    }
  };
  const repair = (r: RecordState, readAt: number) => {
    // Cleared vendor fields come back as empty values, so a stale local value cannot survive.
    const full: Record<string, string> = Object.fromEntries(fields.map((f) => [f, '']));
    if (store.applyState({ deleted: false, ...r, fields: { ...full, ...r.fields } }, readAt) !== 'unchanged')
      counts.repaired++;
  };

  let pages = 0;
  let vendorRecords = 0;
  // The next page is fetched while this one is compared: the vendor's latency and poc's work overlap.
  let next: Promise<[RecordPage, number]> | undefined = fetchPage(api, objectType, undefined);
  while (next) {
    options.signal?.throwIfAborted();
    const [page, readAt]: [RecordPage, number] = await next;
    next = page.cursor === undefined ? undefined : fetchPage(api, objectType, page.cursor);
    // A failed prefetch must not go unhandled while this page is compared; the await reports it.
    next?.catch(() => undefined);
    // One turn of the event loop puts the request on the wire before the comparison holds the thread.
    await new Promise((resolve) => setImmediate(resolve));
    // Keyed as the store keys them (other object types live under `<type>/<id>`).
    const records = page.records.map((r) => ({ ...r, id: recordKey(objectType, r.id) }));
    store.transaction(() => {
      const fresh = markAll(records);
      const locals = store.readMany(fresh.map((r) => r.id));
      for (const r of fresh) compare(r, locals.get(r.id), readAt);
    });
    pages++;
    vendorRecords += page.records.length;
    options.onPage?.(vendorRecords);
  }

  // Live locally, absent from the snapshot, of this object type only; records that appeared
  // after the snapshot started are not extra.
  if (!/^[a-z_]+$/.test(objectType)) throw new Error(`reconcile: "${objectType}" is not an object type`);
  const ofType =
    recordKey(objectType, '') === '' ? "instr(object_id, '/') = 0" : `object_id LIKE '${objectType}/%'`;
  const extras = db.prepare<[number, string, number], { object_id: string }>(
    `SELECT object_id FROM records WHERE deleted_at IS NULL AND last_occurred_at <= ? AND object_id > ?
       AND ${ofType} AND object_id NOT IN (SELECT object_id FROM temp.reconcile_seen) ORDER BY object_id LIMIT ?`,
  );
  const finished = Date.now();
  let after = '';
  for (;;) {
    const rows = extras.all(started, after, 1000);
    if (rows.length === 0) break;
    store.transaction(() => {
      for (const { object_id } of rows) {
        note('extra', object_id, 'live locally, absent at the vendor');
        if (
          options.repair &&
          store.applyState({ deleted: true, id: object_id, deletedAt: finished }, finished) === 'deleted'
        )
          counts.repaired++;
      }
    });
    after = (rows.at(-1) as { object_id: string }).object_id;
  }
  const localRecords = (
    db.prepare(`SELECT count(*) AS n FROM records WHERE deleted_at IS NULL AND ${ofType}`).get() as {
      n: number;
    }
  ).n;
  db.exec('DROP TABLE temp.reconcile_seen');
  return {
    vendorRecords: vendorRecords - counts.duplicate,
    localRecords,
    matched: counts.matched,
    missing: counts.missing,
    extra: counts.extra,
    stale: counts.stale,
    conflicts: counts.conflict,
    duplicates: counts.duplicate,
    repaired: counts.repaired,
    pages,
    durationMs: Date.now() - started,
    samples,
  };
}

/** Drift a person must act on: everything but conflicts, which last-writer-wins resolved. */
export function driftCount(r: ReconcileReport): number {
  return r.missing + r.extra + r.stale + r.duplicates;
}
