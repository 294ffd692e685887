import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RequestBudget } from '../../harness/pipeline/outbound/budget.js';
import { createHttpClient, createRawClient } from '../../harness/pipeline/outbound/http-client.js';
import { ClientRateLimiter } from '../../harness/pipeline/outbound/rate-limit.js';
import type { RetryPolicy } from '../../harness/pipeline/outbound/retry.js';
import { shutdownTracing, startTracing } from '../../harness/telemetry/tracing.js';
import type { ApiCallOutcome } from '../../harness/vendors/types.js';

const TOKEN = 'pat-stack-test-0123456789';
// Short waits: the stack's order is under test here, not the backoff figures (core.test.ts).
const FAST: RetryPolicy = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 10, random: () => 0.5 };

interface Scripted {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Drop the connection without an answer. */
  readonly drop?: boolean;
}

interface Seen {
  readonly at: number;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** A vendor stand-in that answers each path from its script in turn and records what it got. */
async function startScriptedApi() {
  const scripts = new Map<string, Scripted[]>();
  const seen: Seen[] = [];
  const app: FastifyInstance = Fastify({ logger: false });
  app.all('/*', async (req, reply) => {
    const path = req.url;
    seen.push({ at: Date.now(), path, headers: req.headers });
    const next = scripts.get(path)?.shift() ?? { status: 200, body: '{}' };
    if (next.drop) {
      req.raw.socket.destroy();
      return reply.hijack();
    }
    return reply
      .code(next.status)
      .headers({ 'content-type': 'application/json', ...next.headers })
      .send(next.body ?? '{}');
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    seen,
    script(path: string, answers: Scripted[]) {
      scripts.set(path, [...answers]);
    },
    reset() {
      scripts.clear();
      seen.length = 0;
    },
    close: () => app.close(),
  };
}

/** The error a call rejected with; fails the test if it resolved. */
async function rejection(call: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await call;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected the call to reject');
}

/** Counts the tokens it hands out and records its pauses: shows which layer uses the limiter. */
class ObservedLimiter extends ClientRateLimiter {
  acquired = 0;
  readonly pauses: { at: number; ms: number }[] = [];
  private onPause: () => void = () => undefined;
  /** Resolves at the first pause. */
  readonly paused = new Promise<void>((resolve) => {
    this.onPause = resolve;
  });

  override async acquire(signal?: AbortSignal): Promise<void> {
    await super.acquire(signal);
    this.acquired++;
  }

  override pauseFor(ms: number): void {
    super.pauseFor(ms);
    this.pauses.push({ at: Date.now(), ms });
    this.onPause();
  }
}

describe('outbound client stack: what each layer applies to', () => {
  let api: Awaited<ReturnType<typeof startScriptedApi>>;
  beforeAll(async () => {
    api = await startScriptedApi();
  });
  afterEach(() => api.reset());
  afterAll(async () => {
    await shutdownTracing();
    await api.close();
  });

  const headers = { authorization: `Bearer ${TOKEN}` };

  it('spends the budget and a limiter token per attempt, and reports the call once with its retries', async () => {
    expect.assertions(5);
    api.script('/flaky', [{ status: 503 }, { status: 502 }, { status: 200, body: '{"ok":true}' }]);
    const budget = new RequestBudget(10, 'test');
    const limiter = new ObservedLimiter(1000, 10);
    const calls: ApiCallOutcome[] = [];
    const request = createHttpClient({
      baseUrl: `${api.url}/`,
      headers,
      retry: FAST,
      budget,
      limiter,
      onCall: (c) => calls.push(c),
    });
    const res = await request('flaky.get', 'GET', '/flaky');
    expect(res).toEqual({ status: 200, body: { ok: true }, retries: 2 });
    expect(api.seen).toHaveLength(3);
    expect(budget.spent).toBe(3);
    expect(limiter.acquired).toBe(3);
    expect(calls).toEqual([
      { operation: 'flaky.get', status: 200, retries: 2, durationMs: expect.any(Number) },
    ]);
  });

  it('sends one traceparent per call, the same on every attempt', async () => {
    expect.assertions(4);
    await startTracing(undefined, true);
    api.script('/traced', [{ status: 503 }, { status: 200 }, { status: 200 }]);
    const request = createHttpClient({ baseUrl: api.url, headers, retry: FAST });
    await request('traced.get', 'GET', '/traced');
    await request('traced.get', 'GET', '/traced');
    const parents = api.seen.map((s) => String(s.headers.traceparent));
    expect(parents).toHaveLength(3);
    expect(parents[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(parents[1]).toBe(parents[0]);
    expect(parents[2]).not.toBe(parents[0]);
    await shutdownTracing();
  });

  it('throws POC_ERR_VENDOR_HTTP on a 4xx without retrying, reported first, the echoed token redacted', async () => {
    expect.assertions(5);
    api.script('/bad', [
      { status: 401, body: `{"message":"token ${TOKEN} is revoked","refresh_token":"rt-0123456789"}` },
    ]);
    const calls: ApiCallOutcome[] = [];
    const request = createHttpClient({
      baseUrl: api.url,
      headers,
      retry: FAST,
      onCall: (c) => calls.push(c),
    });
    const err = await rejection(request('bad.get', 'GET', '/bad'));
    expect(err).toMatchObject({ code: 'POC_ERR_VENDOR_HTTP' });
    expect(err.message).toMatch(/^bad\.get: GET \/bad answered 401 after 0 retries: /);
    expect(err.message).not.toMatch(/pat-stack-test|rt-0123456789/);
    expect(api.seen).toHaveLength(1);
    expect(calls.map((c) => [c.status, c.retries])).toEqual([[401, 0]]);
  });

  it('passes a spent budget through as it is, even in the middle of the retries', async () => {
    expect.assertions(3);
    api.script('/down', [{ status: 503 }, { status: 503 }, { status: 200 }]);
    const budget = new RequestBudget(2, '--max-requests 2');
    const request = createHttpClient({ baseUrl: api.url, headers, retry: FAST, budget });
    await expect(request('down.get', 'GET', '/down')).rejects.toMatchObject({
      code: 'POC_ERR_BUDGET_EXHAUSTED',
    });
    expect(api.seen).toHaveLength(2);
    expect(budget.spent).toBe(2);
  });

  it('is POC_ERR_VENDOR_UNREACHABLE when no attempt gets an answer, and reports nothing', async () => {
    expect.assertions(3);
    api.script('/gone', [
      { status: 0, drop: true },
      { status: 0, drop: true },
      { status: 0, drop: true },
    ]);
    const calls: ApiCallOutcome[] = [];
    const request = createHttpClient({
      baseUrl: api.url,
      headers,
      retry: FAST,
      onCall: (c) => calls.push(c),
    });
    await expect(request('gone.get', 'GET', '/gone')).rejects.toMatchObject({
      code: 'POC_ERR_VENDOR_UNREACHABLE',
      message: expect.stringMatching(/^gone\.get: GET \/gone got no answer after 2 retries/),
    });
    expect(api.seen).toHaveLength(3);
    expect(calls).toEqual([]);
  });

  it('passes the run’s abort through, not as a vendor error', async () => {
    expect.assertions(2);
    api.script('/slow', [{ status: 503 }, { status: 503 }, { status: 503 }]);
    const abort = new AbortController();
    const request = createHttpClient({
      baseUrl: api.url,
      headers,
      retry: { maxRetries: 8, baseDelayMs: 2000, maxDelayMs: 2000 },
      signal: abort.signal,
    });
    const pending = request('slow.get', 'GET', '/slow');
    setTimeout(() => abort.abort(), 200);
    const err = await rejection(pending);
    expect(err.name).toBe('AbortError');
    expect(err.code).not.toMatch(/^POC_ERR_/);
  });

  it('a 429 pauses every caller of the shared limiter for its Retry-After', async () => {
    expect.assertions(3);
    api.script('/throttled', [{ status: 429, headers: { 'retry-after': '0.3' } }, { status: 200 }]);
    const limiter = new ObservedLimiter(1000, 10);
    const a = createHttpClient({ baseUrl: api.url, headers, retry: FAST, limiter });
    const b = createHttpClient({ baseUrl: api.url, headers, retry: FAST, limiter });
    const first = a('throttled.get', 'GET', '/throttled');
    // B asks only once A's 429 has paused the limiter: it must wait out what A was told. (Were
    // the limiter outside the retries, no pause would come: the 10 s timeout fails the test.)
    await limiter.paused;
    await b('other.get', 'GET', '/other');
    await first;
    const pause = limiter.pauses[0];
    expect(limiter.pauses.map((p) => p.ms)).toEqual([300]);
    // Lower bounds only: a loaded machine can make the waits longer, never shorter. 290, not
    // 300: Date.now() here and in the limiter are read at different instants of the same ms.
    for (const path of ['/other', '/throttled']) {
      const sent = api.seen.filter((s) => s.path === path).at(-1)?.at ?? 0;
      expect(sent - (pause?.at ?? 0)).toBeGreaterThanOrEqual(290);
    }
  }, 10_000);

  it('raw client: one attempt, no throw on 5xx, spends the budget, reports, skips the limiter', async () => {
    expect.assertions(5);
    api.script('/probe', [{ status: 503, body: 'down', headers: { 'retry-after': '1' } }]);
    const budget = new RequestBudget(5, 'test');
    const limiter = new ObservedLimiter(1000, 10);
    const calls: ApiCallOutcome[] = [];
    const once = createRawClient({
      baseUrl: api.url,
      headers,
      budget,
      limiter,
      onCall: (c) => calls.push(c),
    });
    const res = await once('probe.get', 'GET', '/probe');
    expect([res.status, res.body, res.headers.get('retry-after')]).toEqual([503, 'down', '1']);
    expect(api.seen).toHaveLength(1);
    expect(budget.spent).toBe(1);
    expect(limiter.acquired).toBe(0);
    expect(calls.map((c) => [c.operation, c.status, c.retries])).toEqual([['probe.get', 503, 0]]);
  });
});
