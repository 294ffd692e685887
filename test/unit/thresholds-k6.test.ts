import { describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../harness/config/run-config.js';
import { AbortOnFail } from '../../harness/runs/abort-on-fail.js';
import {
  firstBreach,
  readK6Threshold,
  readThreshold,
  toThresholdInput,
} from '../../harness/runs/thresholds.js';
import { getScenario, scenariosTaking } from '../../scenarios/index.js';
import { WEBHOOK_STORM_FINDINGS as STORM } from '../../scenarios/webhook-storm/findings.js';

function problem(read: object): string {
  expect(read).toHaveProperty('problem');
  return (read as { problem: string }).problem;
}

describe('thresholds in k6’s spelling', () => {
  it('reads the aggregation the finding holds, with its value in the finding’s unit', () => {
    expect(readThreshold('webhook.latency_p99_ms: p(99)<250ms', STORM)).toEqual({
      key: 'webhook.latency_p99_ms',
      op: '<',
      threshold: 250,
      source: 'user',
    });
    expect(readThreshold('webhook.latency_p95_ms: p(95)<=1.5s', STORM)).toMatchObject({
      op: '<=',
      threshold: 1500,
    });
    expect(readThreshold('webhook.latency_p50_ms: med<2m', STORM)).toMatchObject({ threshold: 120_000 });
    expect(readThreshold('webhook.latency_max_ms: max<900', STORM)).toMatchObject({ threshold: 900 });
    expect(readThreshold('webhook.loss_ratio: rate<0.01', STORM)).toMatchObject({ op: '<', threshold: 0.01 });
    expect(readThreshold('webhook.loss_ratio: rate<1%', STORM)).toMatchObject({ threshold: 0.01 });
    expect(readThreshold('webhook.events_sent_count: count>=1000', STORM)).toMatchObject({
      op: '>=',
      threshold: 1000,
    });
    expect(readThreshold('webhook.loss_count: count===0', STORM)).toMatchObject({ op: '==', threshold: 0 });
    expect(readThreshold('webhook.achieved_rate_per_s: value>900', STORM)).toMatchObject({ threshold: 900 });
  });

  it('keeps the original form, and takes abortOnFail and delayAbortEval after either', () => {
    expect(readThreshold('webhook.latency_p99_ms<250', STORM)).toEqual({
      key: 'webhook.latency_p99_ms',
      op: '<',
      threshold: 250,
      source: 'user',
    });
    expect(readThreshold('webhook.loss_count: count==0, abortOnFail', STORM)).toMatchObject({
      abortOnFail: true,
    });
    expect(readThreshold('webhook.loss_count==0, abortOnFail, delayAbortEval=10s', STORM)).toMatchObject({
      abortOnFail: true,
      delayAbortEvalMs: 10_000,
    });
    expect(readThreshold('webhook.loss_count==0, abortOnFail=false', STORM)).not.toHaveProperty(
      'abortOnFail',
    );
    expect(problem(readThreshold('webhook.loss_count==0, abortOnFial', STORM))).toBe(
      '"abortOnFial" is not a threshold option; write abortOnFail or delayAbortEval=<time>',
    );
    expect(problem(readThreshold('webhook.loss_count==0, delayAbortEval=10s', STORM))).toContain(
      'delayAbortEval only delays abortOnFail',
    );
  });

  it('refuses a percentile the finding does not hold, naming the finding that holds it', () => {
    expect(problem(readThreshold('webhook.latency_p99_ms: p(95)<250', STORM))).toBe(
      'webhook.latency_p99_ms holds p(99), not p(95); webhook.latency_p95_ms holds p(95): write webhook.latency_p95_ms: p(95)<...',
    );
    expect(problem(readThreshold('webhook.latency_p99_ms: p(90)<250', STORM))).toContain(
      'no finding of this scenario holds p(90); write webhook.latency_p99_ms: p(99)<...',
    );
    expect(problem(readThreshold('webhook.loss_count: p(99)<1', STORM))).toContain(
      'p(99) applies to a percentile finding',
    );
    expect(problem(readThreshold('webhook.latency_p99_ms: max<250', STORM))).toContain(
      'webhook.latency_max_ms is: write webhook.latency_max_ms: max<...',
    );
  });

  it('refuses rate on a count and count on a ratio, with the finding that fits', () => {
    expect(problem(readThreshold('webhook.loss_count: rate<0.01', STORM))).toBe(
      'rate applies to a ratio (0..1); webhook.loss_count counts events: write webhook.loss_ratio: rate<0.01 or webhook.loss_count: count<...',
    );
    expect(problem(readThreshold('webhook.loss_ratio: count<5', STORM))).toContain(
      'write webhook.loss_count: count<... or webhook.loss_ratio: rate<...',
    );
    expect(problem(readThreshold('webhook.achieved_rate_per_s: rate>0.9', STORM))).toContain(
      'write webhook.achieved_rate_per_s: value<...',
    );
  });

  it('refuses a unit the finding cannot take', () => {
    expect(problem(readThreshold('webhook.loss_count: count<5ms', STORM))).toBe(
      'webhook.loss_count is in events, which takes no unit: drop "ms"',
    );
    expect(problem(readThreshold('webhook.latency_p99_ms: p(99)<250h', STORM))).toContain(
      '"h" is not a time unit; webhook.latency_p99_ms takes ms, s or m',
    );
    expect(problem(readThreshold('webhook.loss_ratio: rate<1ms', STORM))).toContain('write it as 0.01 or 1%');
    expect(problem(readThreshold('webhook.latency_p99_ms: p99<250', STORM))).toContain(
      'is not <aggregation><op><number>[unit]',
    );
  });

  it('reads a k6 thresholds map entry, string or object, for one finding', () => {
    expect(readK6Threshold('webhook.latency_p99_ms', 'p(99)<250ms', STORM)).toMatchObject({ threshold: 250 });
    expect(
      readK6Threshold(
        'webhook.latency_p99_ms',
        { threshold: 'p(99)<500', abortOnFail: true, delayAbortEval: '5s' },
        STORM,
      ),
    ).toMatchObject({ threshold: 500, abortOnFail: true, delayAbortEvalMs: 5000 });
    expect(toThresholdInput('webhook.loss_count', { threshold: 'count==0', abortOnFail: true })).toEqual({
      threshold: 'webhook.loss_count: count==0',
      abortOnFail: true,
    });
    expect(
      problem(readK6Threshold('webhook.loss_count', { threshold: 'count==0, abortOnFail' }, STORM)),
    ).toContain('put abortOnFail and delayAbortEval in the object');
  });

  it('finds the first abortOnFail breach once its delay has passed, never on an unreported finding', () => {
    const read = (expr: string) =>
      readThreshold(expr, STORM) as Exclude<ReturnType<typeof readThreshold>, { problem: string }>;
    const loss = read('webhook.loss_count: count==0, abortOnFail, delayAbortEval=2s');
    const latency = read('webhook.latency_p99_ms: p(99)<100ms, abortOnFail');
    const plain = read('webhook.events_sent_count: count>1000000');
    const all = [plain, loss, latency];
    expect(firstBreach(all, { 'webhook.loss_count': 3 }, 1000)).toBeUndefined();
    expect(firstBreach(all, { 'webhook.loss_count': 3 }, 2000)).toEqual({ threshold: loss, value: 3 });
    expect(firstBreach(all, { 'webhook.latency_p99_ms': 150, 'webhook.events_sent_count': 5 }, 0)).toEqual({
      threshold: latency,
      value: 150,
    });
    expect(firstBreach(all, {}, 10_000)).toBeUndefined();
  });
});

describe('thresholds at the config edge', () => {
  const resolve = (scenarioId: string, flags: Record<string, unknown>) => {
    const scenario = getScenario(scenarioId);
    return resolveRunConfig(scenario, {
      flags: { vendor: 'hubspot', ...flags },
      env: {},
      knownVendors: ['hubspot'],
      ownersOf: (key) => scenariosTaking(key, scenario.id),
    });
  };
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err as { code: string; message: string };
    }
    throw new Error('expected a refusal');
  };

  it('takes k6’s object form in the run options, as a plan file gives it', () => {
    const { thresholds, config } = resolve('webhook-storm', {
      thresholds: [
        'webhook.latency_p99_ms: p(99)<250ms',
        { threshold: 'webhook.loss_count: count==0', abortOnFail: true, delayAbortEval: '1s' },
      ],
    });
    expect(thresholds).toEqual([
      { key: 'webhook.latency_p99_ms', op: '<', threshold: 250, source: 'user' },
      {
        key: 'webhook.loss_count',
        op: '==',
        threshold: 0,
        source: 'user',
        abortOnFail: true,
        delayAbortEvalMs: 1000,
      },
    ]);
    expect(config.thresholds).toHaveLength(2);
  });

  it('refuses abortOnFail on a finding known only at the end, naming those that can abort', () => {
    const err = refusal(() =>
      resolve('webhook-storm', { thresholds: ['webhook.achieved_rate_ratio: value>0.9, abortOnFail'] }),
    );
    expect(err.code).toBe('POC_ERR_BAD_THRESHOLD');
    expect(err.message).toMatch(
      /^--threshold: abortOnFail: webhook-storm reports webhook.achieved_rate_ratio only at the end, so it cannot stop the run; findings that can: webhook.events_sent_count, .*webhook.latency_p99_ms/,
    );
    const none = refusal(() =>
      resolve('signature-check', {
        thresholds: [`${Object.keys(getScenario('signature-check').findings)[0]}>=0, abortOnFail`],
      }),
    );
    expect(none.message).toContain(
      'signature-check reports its findings only at the end, so no threshold can stop it',
    );
  });

  it('refuses a malformed object with the field named', () => {
    const err = refusal(() =>
      resolve('webhook-storm', { thresholds: [{ threshold: 'webhook.loss_count: count==0', abort: true }] }),
    );
    expect(err.code).toBe('POC_ERR_BAD_OPTION');
    expect(err.message).toContain('--threshold[0]');
  });
});

describe('AbortOnFail', () => {
  const read = (expr: string) =>
    readThreshold(expr, STORM) as Exclude<ReturnType<typeof readThreshold>, { problem: string }>;

  it('aborts once, at the first breach after the delay counted from the scenario’s start', () => {
    const seen: string[] = [];
    const loss = read('webhook.loss_count: count==0, abortOnFail, delayAbortEval=1s');
    const guard = new AbortOnFail([read('webhook.events_sent_count: count>1000000'), loss], (b) =>
      seen.push(b.reason),
    );
    guard.start(10_000);
    guard.report({ 'webhook.loss_count': 2, 'webhook.events_sent_count': 5 }, 10_500);
    expect(guard.signal.aborted).toBe(false);
    guard.report({ 'webhook.loss_count': 2 }, 11_500);
    expect(guard.signal.aborted).toBe(true);
    expect(guard.breach).toMatchObject({ threshold: loss, value: 2 });
    guard.report({ 'webhook.loss_count': 9 }, 12_000);
    expect(seen).toEqual([
      'threshold webhook.loss_count==0 breached at 1.5s into the run (webhook.loss_count was 2); abortOnFail stopped it',
    ]);
  });

  it('judges nothing once disarmed, or when no threshold asks for it', () => {
    const calls: unknown[] = [];
    const disarmed = new AbortOnFail([read('webhook.loss_count==0, abortOnFail')], (b) => calls.push(b));
    disarmed.disarm();
    disarmed.report({ 'webhook.loss_count': 3 });
    const plain = new AbortOnFail([read('webhook.loss_count==0')], (b) => calls.push(b));
    plain.report({ 'webhook.loss_count': 3 });
    expect(calls).toEqual([]);
    expect(disarmed.breach).toBeUndefined();
    expect(plain.signal.aborted).toBe(false);
  });
});
