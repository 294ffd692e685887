import { formatDuration } from '../../harness/duration.js';
import type { AdvertisedLimit } from '../../harness/vendors/types.js';
import type { Measured } from './measure.js';

/** One claim of the limit headers, and whether what the probe observed could confirm it. */
export interface HeaderCheck {
  readonly claim: 'limit' | 'remaining' | 'window' | 'daily';
  readonly verdict: 'agrees' | 'disagrees' | 'unchecked';
  /** For a disagreement, what the header said against what was seen; otherwise why it was not checked. */
  readonly detail: string;
}

/**
 * Compares each short-window claim of the headers with what a burst established, and only when the
 * burst ended on the vendor's throttle: an unthrottled burst is a lower bound, which no limit or
 * remaining header can contradict. A daily quota is never compared with a burst of seconds.
 * `first` is what the first admitted answer claimed; `atThrottle` what the last admitted one
 * claimed, given only when the first burst ended on a throttle.
 */
export function checkHeaders(
  first: AdvertisedLimit | undefined,
  atThrottle: AdvertisedLimit | undefined,
  m: Pick<Measured, 'burst' | 'burstThrottled' | 'windowMs' | 'tokenBucket'>,
): HeaderCheck[] {
  const out: HeaderCheck[] = [];
  if (first?.limit !== undefined) {
    if (m.burst === undefined || !m.burstThrottled) {
      out.push({
        claim: 'limit',
        verdict: 'unchecked',
        detail: `the limit header says ${first.limit}, but no burst reached the throttle${m.burst === undefined ? '' : ` (${m.burst} admitted is only a lower bound)`}`,
      });
    } else if (Math.abs(first.limit - m.burst) > Math.max(1, 0.05 * m.burst)) {
      out.push({
        claim: 'limit',
        verdict: 'disagrees',
        detail: `the limit header says ${first.limit} but ${m.burst} requests were admitted in a burst`,
      });
    } else {
      out.push({ claim: 'limit', verdict: 'agrees', detail: '' });
    }
  }
  const remaining = atThrottle?.remaining;
  if (remaining !== undefined) {
    out.push(
      remaining > 0
        ? {
            claim: 'remaining',
            verdict: 'disagrees',
            detail: `the remaining header said ${remaining} on the last admitted request; the next one was throttled`,
          }
        : { claim: 'remaining', verdict: 'agrees', detail: '' },
    );
  } else if (first?.remaining !== undefined) {
    out.push({
      claim: 'remaining',
      verdict: 'unchecked',
      detail: `the remaining header said ${first.remaining} on the first answer, but no burst reached the throttle to hold it against`,
    });
  }
  if (first?.windowMs !== undefined) out.push(windowCheck(first.windowMs, m));
  if (first?.dailyLimit !== undefined || first?.dailyRemaining !== undefined) {
    const said =
      first.dailyLimit !== undefined
        ? `a daily quota of ${first.dailyLimit}`
        : 'what is left of a daily quota';
    out.push({
      claim: 'daily',
      verdict: 'unchecked',
      detail: `the headers state ${said}, which a burst of seconds cannot check`,
    });
  }
  return out;
}

// Window headers often count whole seconds: a second of difference is the header's grain, not a lie.
function windowCheck(windowMs: number, m: Pick<Measured, 'windowMs' | 'tokenBucket'>): HeaderCheck {
  const said = formatDuration(windowMs);
  if (m.tokenBucket)
    return {
      claim: 'window',
      verdict: 'unchecked',
      detail: `the window header says ${said}, but capacity came back a little at a time (a token bucket has no reset to time)`,
    };
  if (m.windowMs === undefined)
    return {
      claim: 'window',
      verdict: 'unchecked',
      detail: `the window header says ${said}, but no two resets were seen`,
    };
  if (Math.abs(windowMs - m.windowMs) > Math.max(0.1 * m.windowMs, 1000))
    return {
      claim: 'window',
      verdict: 'disagrees',
      detail: `the window header says ${said} but capacity came back every ${formatDuration(m.windowMs)}`,
    };
  return { claim: 'window', verdict: 'agrees', detail: '' };
}

/**
 * The notes a run prints for its header checks: each mismatch, each claim left unchecked and why,
 * and a plain "unknown" when nothing could be compared (`admitted`: any request got through, so
 * headers were read at all).
 */
export function headerNotes(
  checks: readonly HeaderCheck[],
  admitted: boolean,
): { checked: number; mismatches: number; notes: string[] } {
  const checked = checks.filter((c) => c.verdict !== 'unchecked').length;
  const disagree = checks.filter((c) => c.verdict === 'disagrees');
  const notes = [
    ...disagree.map((c) => `header mismatch: ${c.detail}`),
    ...checks.filter((c) => c.verdict === 'unchecked').map((c) => `header not checked: ${c.detail}`),
  ];
  const unknown = !admitted
    ? 'no request was admitted, so no limit header was read'
    : checks.length === 0
      ? 'the vendor sent no rate-limit headers, so there was nothing to check'
      : checked === 0
        ? 'no claim of the limit headers could be compared with what was observed'
        : undefined;
  if (unknown) notes.push(`header honesty unknown: ${unknown}`);
  return { checked, mismatches: disagree.length, notes };
}
