import type { z } from 'zod';
import { formatDuration } from '../../harness/duration.js';
import { PocError } from '../../harness/errors.js';
import { LimitProber, type Recovery } from '../../harness/load/limit-probe.js';
import type { ResultTable } from '../../harness/runs/findings.js';
import { toFindings } from '../../harness/runs/vocabulary.js';
import type { RunContext, ScenarioResult } from '../../harness/scenario.js';
import { runApi } from '../../harness/targets/connect.js';
import type { rateLimitProbeOptions } from './definition.js';
import { RATE_LIMIT_PROBE_FINDINGS, type RateLimitProbeFinding } from './findings.js';
import { checkHeaders, headerNotes } from './header-checks.js';
import { type Measured, measureBucket, measureWindow } from './measure.js';

type RateLimitProbeOptions = z.output<typeof rateLimitProbeOptions>;

/**
 * Finds the vendor's short-window limit without being told: a burst until it throttles, probes
 * until capacity returns, a second burst, then the next reset (windows) or timed refills (buckets).
 */
export async function runRateLimitProbe(
  ctx: RunContext,
  opts: RateLimitProbeOptions,
): Promise<ScenarioResult> {
  const { target } = ctx;
  const profile = target.vendor.profile;
  const api = runApi(target, ctx, {
    onCall: (c) => ctx.metrics.apiCalls.inc({ operation: c.operation, status: String(c.status) }),
  });
  const probe = api.probe?.bind(api);
  if (!probe)
    throw new PocError(
      'POC_ERR_NOT_SUPPORTED',
      `rate-limit-probe: no probe is written for ${profile.id} yet`,
    );
  // Over a real network one caller cannot outrun a limit above 1/RTT; on loopback one is exact.
  const p = new LimitProber(probe, opts.maxRequests, ctx.signal, target.kind === 'live' ? 4 : 1);
  const m: Measured = { how: [], confidence: 'low' };
  const notes: string[] = [];
  const step = (phase: string, detail: string) =>
    ctx.progress({
      phase,
      done: p.spent,
      total: opts.maxRequests,
      detail: `${detail} (${p.spent} requests spent)`,
    });

  step('burst', 'sending back to back until the vendor throttles');
  const b1 = await p.burst(Math.floor(opts.maxRequests * 0.45));
  let r1: Recovery | undefined;
  if (!b1.throttle) {
    m.burst = b1.ok;
    m.how.push(`all ${b1.ok} probes admitted: the burst is at least that; raise --max-requests to find it`);
    notes.push(`no throttle within ${b1.ok} requests: the limit is above what this budget can measure`);
  } else {
    step('recovery', 'waiting for capacity to come back');
    r1 = await p.recovery(b1.endedAt, opts.maxWait);
    if (!r1) {
      m.burst = b1.ok;
      m.burstThrottled = true;
      m.how.push(
        `${b1.ok} admitted, then no capacity came back within ${formatDuration(opts.maxWait)} or the budget`,
      );
    } else {
      // A sliding window gives capacity back in the shape it was taken: wait as long as the
      // first burst lasted so all of it has aged out before judging how much came back.
      await p.idle((b1.endedAt - b1.startedAt) * 1.2 + 5);
      const b2 = await p.burst(Math.floor(p.left * 0.45));
      step('refill', 'measuring how capacity comes back');
      if (1 + b2.ok >= 0.5 * Math.max(b1.ok, 2)) await measureWindow(p, r1, b2, opts.maxWait, m);
      else await measureBucket(p, b1, r1, b2, opts.maxWait, m);
    }
  }

  // The tightest documented short-window limit is the one a burst meets first.
  const documented = [...profile.rateLimits]
    .filter((l) => l.value.windowMs < 86_400_000)
    .sort((a, b) => a.value.requests / a.value.windowMs - b.value.requests / b.value.windowMs)[0];
  const advertised = b1.firstOk?.advertised;
  // "Remaining at the throttle" only means something if the burst really ended on a throttle.
  const headers = headerNotes(
    checkHeaders(advertised, b1.throttle ? b1.lastOk?.advertised : undefined, m),
    b1.firstOk !== undefined,
  );
  notes.push(...headers.notes);
  const recoveryMs = r1 && b1.throttle ? r1.at - b1.endedAt : undefined;
  const retryAfter = b1.throttle?.retryAfterMs;
  let retryAfterHonest: number | undefined;
  if (retryAfter !== undefined && recoveryMs !== undefined) {
    // Retry-After counts whole seconds: a second of slack either way is not dishonest.
    retryAfterHonest = recoveryMs <= retryAfter + 1000 ? 1 : 0;
    if (!retryAfterHonest)
      notes.push(
        `Retry-After said ${formatDuration(retryAfter)} but capacity came back after ${formatDuration(recoveryMs)}`,
      );
    else if (recoveryMs < retryAfter - 1000)
      notes.push(
        `Retry-After is conservative: ${formatDuration(retryAfter)} asked, ${formatDuration(recoveryMs)} needed`,
      );
  }
  let penaltyMs = 0;
  if (r1 && m.windowMs !== undefined && !m.tokenBucket)
    penaltyMs = Math.max(0, r1.at - b1.startedAt - m.windowMs * 1.1 - 200);
  if (r1 && m.tokenBucket && m.perSecond)
    penaltyMs = Math.max(0, r1.at - b1.endedAt - 3000 / m.perSecond - 200);
  if (penaltyMs > 0)
    notes.push(`going over the limit cost an extra ${formatDuration(penaltyMs)} before capacity came back`);

  const values: Partial<Record<RateLimitProbeFinding, number>> = {
    'ratelimit.requests_spent': p.spent,
    'ratelimit.header_checks': headers.checked,
  };
  // A count of 0 would read as "honest headers": it is left out when nothing was compared.
  if (headers.checked > 0) values['ratelimit.header_mismatch_count'] = headers.mismatches;
  if (penaltyMs !== undefined) values['ratelimit.penalty_ms'] = penaltyMs;
  if (ctx.signal.aborted)
    notes.push('interrupted with Ctrl-C: the figures above are what was measured until then');
  if (m.burst !== undefined) values['ratelimit.burst_requests'] = m.burst;
  if (m.perSecond !== undefined) values['ratelimit.sustained_per_s'] = m.perSecond;
  if (m.windowMs !== undefined) values['ratelimit.window_ms'] = m.windowMs;
  if (m.perSecond !== undefined) values['ratelimit.token_bucket'] = m.tokenBucket ? 1 : 0;
  if (documented) {
    values['ratelimit.documented_per_s'] = (documented.value.requests / documented.value.windowMs) * 1000;
    values['ratelimit.documented_burst_requests'] = documented.value.requests;
  }
  if (advertised?.limit !== undefined) values['ratelimit.advertised_limit_requests'] = advertised.limit;
  if (advertised?.windowMs !== undefined) values['ratelimit.advertised_window_ms'] = advertised.windowMs;
  if (advertised?.dailyLimit !== undefined)
    values['ratelimit.advertised_daily_limit_requests'] = advertised.dailyLimit;
  const lastDaily = (b1.lastOk ?? b1.firstOk)?.advertised.dailyRemaining;
  if (lastDaily !== undefined) values['ratelimit.advertised_daily_remaining_requests'] = lastDaily;
  if (retryAfterHonest !== undefined) values['ratelimit.retry_after_honest'] = retryAfterHonest;
  if (b1.throttle) values['ratelimit.throttle_status'] = b1.throttle.status;

  const evidence = `${target.describe()}; ${m.how.join('; ')}; confidence ${m.confidence}`;
  const findings = toFindings(RATE_LIMIT_PROBE_FINDINGS, values, evidence);
  const fmt = (v: number | undefined, unit = '') =>
    v === undefined ? '—' : `${Number.isInteger(v) ? v : v.toFixed(2)}${unit}`;
  const docSource = documented ? `${documented.source} [${documented.confidence}]` : 'not documented';
  const table: ResultTable = {
    title: `${profile.name} short-window limit`,
    columns: ['figure', 'documented', 'advertised (headers)', 'measured', 'confidence'],
    rows: [
      [
        'burst (requests)',
        fmt(documented?.value.requests),
        fmt(advertised?.limit),
        fmt(m.burst),
        m.confidence,
      ],
      [
        'sustained (req/s)',
        fmt(values['ratelimit.documented_per_s']),
        fmt(
          advertised?.limit && advertised.windowMs
            ? (advertised.limit / advertised.windowMs) * 1000
            : undefined,
        ),
        fmt(m.perSecond),
        m.confidence,
      ],
      [
        'window',
        documented ? formatDuration(documented.value.windowMs) : '—',
        advertised?.windowMs ? formatDuration(advertised.windowMs) : '—',
        m.windowMs ? formatDuration(m.windowMs) : '—',
        m.confidence,
      ],
      [
        'style',
        '—',
        '—',
        m.perSecond === undefined ? '—' : m.tokenBucket ? 'token bucket' : 'fixed or sliding window',
        m.confidence,
      ],
      [
        'over-limit answer',
        '—',
        '—',
        b1.throttle
          ? `HTTP ${b1.throttle.status}${retryAfter !== undefined ? `, Retry-After ${formatDuration(retryAfter)}` : ', no Retry-After'}`
          : 'not reached',
        b1.throttle ? 'high' : 'low',
      ],
    ],
  };
  notes.push(
    `documented source: ${docSource}`,
    `measured with ${p.spent} of ${opts.maxRequests} requests: ${m.how.join('; ')}`,
  );
  return { findings, notes, tables: [table], defaultThresholds: [] };
}
