import { z } from 'zod';
import { formatDuration } from '../harness/duration.js';
import { PocError } from '../harness/errors.js';
import { type Burst, LimitProber, type Recovery } from '../harness/load/limit-probe.js';
import type { Finding, ResultTable } from '../harness/runs/findings.js';
import type { AdvertisedLimit } from '../harness/vendors/types.js';
import type { RunContext, Scenario, ScenarioResult } from './types.js';

export const rateLimitProbeOptions = z.object({
  maxRequests: z
    .number()
    .int()
    .min(20, 'needs at least 20 requests to see a burst and a reset')
    .default(1000)
    .describe('probe requests the run may spend'),
  maxWaitMs: z.number().int().positive().default(180_000).describe('longest wait for capacity to come back'),
});
export type RateLimitProbeOptions = z.infer<typeof rateLimitProbeOptions>;

const UNITS = {
  'ratelimit.burst_requests': 'requests',
  'ratelimit.sustained_per_s': 'requests/s',
  'ratelimit.window_ms': 'ms',
  'ratelimit.token_bucket': 'bool',
  'ratelimit.documented_per_s': 'requests/s',
  'ratelimit.documented_burst_requests': 'requests',
  'ratelimit.advertised_limit_requests': 'requests',
  'ratelimit.advertised_window_ms': 'ms',
  'ratelimit.advertised_daily_limit_requests': 'requests',
  'ratelimit.advertised_daily_remaining_requests': 'requests',
  'ratelimit.header_mismatch_count': 'mismatches',
  'ratelimit.retry_after_honest': 'bool',
  'ratelimit.penalty_ms': 'ms',
  'ratelimit.throttle_status': 'status',
  'ratelimit.requests_spent': 'requests',
} as const;
type Key = keyof typeof UNITS;

interface Measured {
  burst?: number;
  perSecond?: number;
  windowMs?: number;
  tokenBucket?: boolean;
  how: string[];
  confidence: 'high' | 'medium' | 'low';
}

/** Window styles: a second burst right after recovery gets (nearly) the whole limit back. */
async function measureWindow(p: LimitProber, r1: Recovery, b2: Burst, maxWaitMs: number, m: Measured) {
  const n2 = 1 + b2.ok;
  const r2 = await p.recovery(b2.endedAt, maxWaitMs);
  if (!r2) {
    m.burst = n2;
    m.how.push(`${n2} admitted after the first reset; the next reset was not seen within the budget or wait`);
    m.confidence = 'low';
    return;
  }
  const windowMs = r2.at - r1.at;
  const b3 = await p.burst(Math.floor(p.left * 0.9));
  const n3 = b3.throttle ? 1 + b3.ok : 0;
  m.burst = Math.max(n2, n3);
  m.windowMs = windowMs;
  m.perSecond = (m.burst / windowMs) * 1000;
  m.how.push(
    `bursts of ${n2}${n3 ? ` and ${n3}` : ''} right after consecutive resets ${formatDuration(windowMs)} apart (each reset found by probes spaced under 3% of the wait)`,
  );
  m.confidence = n3 && Math.abs(n3 - n2) <= Math.max(1, 0.02 * n2) ? 'high' : 'medium';
  // A burst that takes a good part of the window may run into the next one and double-count.
  const burstMs = b2.endedAt - r1.at;
  if (burstMs > 0.3 * windowMs) {
    m.confidence = 'low';
    m.how.push(
      `a burst took ${formatDuration(burstMs)} of the ${formatDuration(windowMs)} window, so it may have crossed a reset`,
    );
  }
}

/**
 * Token bucket: capacity trickles back. Refill, drain, repeat until ~40 tokens were counted:
 * the fractions left at each throttle carry into the next refill, so the count over the whole
 * span is right to one token however many cycles it took.
 */
async function measureBucket(
  p: LimitProber,
  b1: Burst,
  r1: Recovery,
  b2: Burst,
  maxWaitMs: number,
  m: Measured,
) {
  let perMs = 1 / Math.max(1, r1.at - b1.endedAt);
  const refill = Math.max(2, Math.min(40, 0.8 * Math.max(b1.ok, 2)));
  const from = b2.endedAt;
  let tokens = 0;
  let until = from;
  let cycles = 0;
  while (tokens < 40 && p.left > refill + 2 && Date.now() - from < maxWaitMs) {
    await p.idle(Math.min(maxWaitMs / 4, refill / perMs) - (Date.now() - until));
    const b = await p.burst(Math.floor(p.left * 0.9));
    if (!b.throttle) break;
    tokens += b.ok;
    until = b.endedAt;
    cycles++;
    if (tokens > 0) perMs = tokens / (until - from);
  }
  if (cycles === 0 || tokens === 0) {
    m.burst = b1.ok;
    m.how.push(
      'capacity came back a little at a time, but no timed refill could be counted within the budget or wait',
    );
    m.confidence = 'low';
    return;
  }
  m.perSecond = perMs * 1000;
  // The first burst drained a full bucket while it kept refilling, between its first and last
  // admitted request (the first one also paid for connection set-up, so start from its answer).
  const drainMs = (b1.lastOk?.at ?? b1.endedAt) - (b1.firstOk?.at ?? b1.startedAt);
  m.burst = Math.max(1, Math.round(b1.ok - perMs * drainMs));
  m.windowMs = m.burst / perMs;
  m.tokenBucket = true;
  m.how.push(
    `capacity came back a little at a time (${1 + b2.ok} right after the first refill); ${tokens} tokens counted over ${cycles} refill(s) in ${formatDuration(until - from)}; burst from a full bucket minus its refill during the burst`,
  );
  m.confidence = tokens >= 40 ? 'high' : tokens >= 15 ? 'medium' : 'low';
}

// Window headers often count whole seconds: a second of difference is the header's grain, not a lie.
function mismatches(
  adv: AdvertisedLimit | undefined,
  atThrottle: AdvertisedLimit | undefined,
  m: Measured,
): string[] {
  const out: string[] = [];
  if (
    adv?.limit !== undefined &&
    m.burst !== undefined &&
    Math.abs(adv.limit - m.burst) > Math.max(1, 0.05 * m.burst)
  ) {
    out.push(`the limit header says ${adv.limit} but ${m.burst} requests were admitted in a burst`);
  }
  if (atThrottle?.remaining !== undefined && atThrottle.remaining > 0) {
    out.push(
      `the remaining header said ${atThrottle.remaining} on the last admitted request; the next one was throttled`,
    );
  }
  if (
    adv?.windowMs !== undefined &&
    m.windowMs !== undefined &&
    !m.tokenBucket &&
    Math.abs(adv.windowMs - m.windowMs) > Math.max(0.1 * m.windowMs, 1000)
  ) {
    out.push(
      `the window header says ${formatDuration(adv.windowMs)} but capacity came back every ${formatDuration(m.windowMs)}`,
    );
  }
  return out;
}

export const rateLimitProbe: Scenario<RateLimitProbeOptions> = {
  id: 'rate-limit-probe',
  summary:
    'Infer the real rate limits on a bounded budget: burst, sustained rate, window, headers, Retry-After, penalty.',
  receivesWebhooks: false,
  findingKeys: Object.keys(UNITS),
  options: rateLimitProbeOptions,

  async run(ctx: RunContext, opts: RateLimitProbeOptions): Promise<ScenarioResult> {
    const { target } = ctx;
    const profile = target.vendor.profile;
    const api = target.vendor.api({
      baseUrl: target.baseUrl,
      token: target.credentials.token,
      signal: ctx.signal,
      settings: target.settings,
      ...(ctx.budget ? { budget: ctx.budget } : {}),
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
      r1 = await p.recovery(b1.endedAt, opts.maxWaitMs);
      if (!r1) {
        m.burst = b1.ok;
        m.how.push(
          `${b1.ok} admitted, then no capacity came back within ${formatDuration(opts.maxWaitMs)} or the budget`,
        );
      } else {
        // A sliding window gives capacity back in the shape it was taken: wait as long as the
        // first burst lasted so all of it has aged out before judging how much came back.
        await p.idle((b1.endedAt - b1.startedAt) * 1.2 + 5);
        const b2 = await p.burst(Math.floor(p.left * 0.45));
        step('refill', 'measuring how capacity comes back');
        if (1 + b2.ok >= 0.5 * Math.max(b1.ok, 2)) await measureWindow(p, r1, b2, opts.maxWaitMs, m);
        else await measureBucket(p, b1, r1, b2, opts.maxWaitMs, m);
      }
    }

    // The tightest documented short-window limit is the one a burst meets first.
    const documented = [...profile.rateLimits]
      .filter((l) => l.value.windowMs < 86_400_000)
      .sort((a, b) => a.value.requests / a.value.windowMs - b.value.requests / b.value.windowMs)[0];
    const advertised = b1.firstOk?.advertised;
    // "Remaining at the throttle" only means something if the burst really ended on a throttle.
    const found = mismatches(advertised, b1.throttle ? b1.lastOk?.advertised : undefined, m);
    notes.push(...found.map((f) => `header mismatch: ${f}`));
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

    const values: Partial<Record<Key, number>> = {
      'ratelimit.requests_spent': p.spent,
      'ratelimit.header_mismatch_count': found.length,
    };
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
    const findings: Finding[] = Object.entries(values).map(([key, value]) => ({
      key,
      value,
      unit: UNITS[key as Key],
      evidence,
    }));
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
  },
};
