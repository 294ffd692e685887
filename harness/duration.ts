import { PocError } from './errors.js';

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** How a duration is written, for error messages. */
export const DURATION_FORMS = '250ms, 30s, 10m, 1h30m or 2d';

/** k6-style durations (`250ms`, `30s`, `10m`, `1h30m`, `2d`) in milliseconds; undefined if not one. */
export function durationMs(text: string): number | undefined {
  const trimmed = text.trim();
  const pattern = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(pattern)) {
    total += Number(match[1]) * (UNITS_MS[match[2] ?? 's'] ?? 0);
    consumed += match[0].length;
  }
  return trimmed.length === 0 || consumed !== trimmed.length ? undefined : total;
}

/** Parses a duration, or throws POC_ERR_BAD_OPTION naming `field`. */
export function parseDuration(text: string, field: string): number {
  const ms = durationMs(text);
  if (ms === undefined) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `${field}: "${text}" is not a duration; write it like ${DURATION_FORMS}`,
    );
  }
  return ms;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, seconds] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / seconds);
    rest -= n * seconds;
    if (n > 0 && parts.length < 2) parts.push(`${n}${unit}`);
  }
  return parts.join('');
}
