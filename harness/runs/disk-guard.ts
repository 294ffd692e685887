import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatBytes } from './format-bytes.js';

/**
 * Space a run keeps free under its data dir: its last writes (findings, checks, report.html,
 * summary.json) need a little, and a full disk is noticed only when SQLite fails. At a
 * 20,000 events/s storm pipeline.db grows about 4 MB/s, checked every second: 32 MiB is some
 * seconds of warning. POC_DISK_RESERVE_BYTES changes it.
 */
export const DEFAULT_RESERVE_BYTES = 32 * 1024 * 1024;

export function reserveBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.POC_DISK_RESERVE_BYTES;
  const n = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_RESERVE_BYTES;
}

/** Free bytes for an unprivileged writer on the filesystem holding `dir`; undefined where unknown. */
export function freeBytes(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/** Why a run cannot go on writing under `dir`, or undefined while it can. */
export function diskProblem(dir: string, reserve = reserveBytes()): string | undefined {
  const free = freeBytes(dir);
  if (free === undefined || free >= reserve) return undefined;
  return `the disk under ${dir} has ${formatBytes(free)} free, less than the ${formatBytes(reserve)} a run keeps in reserve`;
}

/** Whether an error is the disk (or SQLite's file) being full. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'EDQUOT';
}

/** What the run's last writes need at most (findings, checks, notes in runs.db). */
const BALLAST_BYTES = 1024 * 1024;

/**
 * Takes room on the run's disk at the start and gives it back on release, so that when the disk
 * fills during the run its outcome can still be written. Released twice is harmless.
 */
export function holdBallast(runDir: string): { release(): void } {
  const file = join(runDir, '.reserve');
  mkdirSync(runDir, { recursive: true });
  writeFileSync(file, Buffer.alloc(BALLAST_BYTES));
  return { release: () => rmSync(file, { force: true }) };
}
