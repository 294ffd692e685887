import { Agent, request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { WebhookScheme } from '../../harness/vendors/types.js';
import { startReceiverFor } from '../helpers/servers.js';
import type { Delivery, Expectation } from './delivery.js';
import { type DeliveryMix, deliveryBuilder } from './mix.js';
import { rngFor } from './prng.js';
import { openSlowHeaderConnections } from './slow-clients.js';
import { FUZZ_TARGETS } from './targets.js';

/**
 * A fuzzer for the reference webhook receiver. It starts the receiver for one vendor with a known
 * secret, sends a seeded mix of valid deliveries, mutations of valid ones and random bytes over
 * keep-alive HTTP with bounded concurrency, and collects what matters: 5xx other than 503 (a
 * crash), forged deliveries answered 200, whether the receiver still answers, and memory growth.
 * It measures and reports; it never asserts or exits (the test and bench/fuzz.js decide).
 */

export interface FuzzOptions {
  readonly vendor: string;
  readonly seed: number;
  /** Deliveries to send (the run stops earlier when `durationMs` runs out). */
  readonly deliveries: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly durationMs?: number;
  /** Run the pipeline's processor too (default true); the receiver answers the same without it. */
  readonly processor?: boolean;
  readonly mix?: DeliveryMix;
  /** Called every `progressIntervalMs` (default 5000) while deliveries are in flight. */
  readonly onProgress?: (progress: FuzzProgress) => void;
  readonly progressIntervalMs?: number;
  /** Samples kept per finding kind (default 20). */
  readonly maxSamples?: number;
  /**
   * Wraps the scheme the receiver runs (the fuzzer still signs with the real one): lets a test
   * plant a broken verify or parse and check that the fuzzer notices.
   */
  readonly wrapScheme?: (scheme: WebhookScheme) => WebhookScheme;
  /** Slowloris connections held open for the whole run (their headers never end). */
  readonly slowHeaderConnections?: number;
  /** Memory is measured (after a full GC) every this many deliveries, as `memory.checkpoints`. */
  readonly memoryEvery?: number;
}

export interface FuzzProgress {
  readonly vendor: string;
  readonly sent: number;
  readonly elapsedMs: number;
  readonly crashes: number;
  readonly forgedAccepted: number;
  readonly rssBytes: number;
}

/** One request worth a look, enough to replay it by hand. */
export interface FuzzSample {
  readonly index: number;
  readonly kind: Delivery['kind'];
  readonly mutation: string;
  readonly expect: Expectation;
  /** The exact status the delivery called for, if any. */
  readonly expectStatus?: number;
  /** HTTP status, or the client error when no answer came. */
  readonly status: number | string;
  readonly response: string;
  readonly path: string;
  readonly headers: Record<string, string | string[]>;
  readonly bodyLength: number;
  /** The first 1 KiB of the body, base64. */
  readonly bodyHead: string;
}

export interface MemoryFigures {
  readonly rssBefore: number;
  /** Every `memoryEvery` deliveries, after a full GC: a leak climbs from one to the next. */
  readonly checkpoints: readonly MemoryCheckpoint[];
  readonly rssAfter: number;
  readonly rssPeak: number;
  readonly heapBefore: number;
  readonly heapAfter: number;
}

export interface MemoryCheckpoint {
  readonly sent: number;
  readonly rss: number;
  readonly heap: number;
  /** Memory held outside the V8 heap for JS objects: Buffers, mostly. */
  readonly external: number;
}

export interface FuzzReport {
  readonly vendor: string;
  readonly seed: number;
  readonly sent: number;
  readonly durationMs: number;
  readonly deliveriesPerSecond: number;
  /** Count per HTTP status, plus `net-error` (no answer) and `client-refused` (not sendable). */
  readonly statuses: Readonly<Record<string, number>>;
  readonly kinds: Readonly<Record<Delivery['kind'], number>>;
  /** 5xx other than 503, and answers that never came for requests the server should have read. */
  readonly crashes: number;
  readonly forgedAccepted: number;
  /** Deliveries holding the secret but breaking the scheme's rules, answered 200 (not forgeries). */
  readonly lenientAccepted: number;
  /** Authentic deliveries answered neither 200 nor 503. */
  readonly authenticRefused: number;
  /** Authentic deliveries answered 503: allowed (the vendor retries), but worth a look. */
  readonly authenticUnavailable: number;
  /** Deliveries that state the one status a careful receiver answers and got another. */
  readonly statusMismatches: number;
  /** Round-trip time of the valid deliveries, in ms. */
  readonly validLatencyMs: LatencyFigures;
  /** The slowloris connections held during the run, when asked for. */
  readonly slowConnections?: { readonly opened: number; readonly closedByServer: number };
  /** Statuses per mutation name (`valid`, `body:bit-flip`, `near-miss-secret`...). */
  readonly mutations: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Events first seen by the pipeline (the `accepted` observer), all kinds together. */
  readonly eventsAccepted: number;
  readonly netErrors: number;
  /** GET /healthz answered 200 after the run. */
  readonly healthy: boolean;
  readonly memory: MemoryFigures;
  readonly samples: {
    readonly crashes: readonly FuzzSample[];
    readonly forged: readonly FuzzSample[];
    readonly lenient: readonly FuzzSample[];
    readonly authenticRefused: readonly FuzzSample[];
    /** Any delivery answered 503. */
    readonly unavailable: readonly FuzzSample[];
    readonly statusMismatches: readonly FuzzSample[];
  };
}

export interface LatencyFigures {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

function latencyFigures(ms: number[]): LatencyFigures {
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  return { count: ms.length, p50: at(0.5), p99: at(0.99), max: ms.at(-1) ?? 0 };
}

type Answer = { readonly status: number; readonly body: string } | { readonly error: string };

interface Sender {
  send(d: Delivery): Promise<Answer>;
  get(path: string): Promise<Answer>;
  close(): void;
}

const RESPONSE_KEEP = 512;
/** Mutations whose request the server may rightly stop reading (size limits). */
const MAY_DROP = /^(huge-body|oversize-header)/;
const REQUEST_TIMEOUT_MS = 30_000;

function sender(origin: string, concurrency: number): Sender {
  const { hostname, port } = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  // Size-limit mutations go on a connection of their own: the server may close it mid-request,
  // and a pooled socket closed under the next request would look like a receiver failure.
  const exchange = (method: string, path: string, d?: Delivery): Promise<Answer> =>
    new Promise((resolve) => {
      let settled = false;
      const done = (a: Answer) => {
        if (!settled) {
          settled = true;
          resolve(a);
        }
      };
      const headers: Record<string, string | string[]> = { ...d?.headers };
      if (d && !d.chunked) headers['content-length'] = String(d.body.length);
      const isolated = d !== undefined && MAY_DROP.test(d.mutation);
      if (isolated) headers.connection = 'close';
      let req: ReturnType<typeof request>;
      try {
        req = request({
          host: hostname,
          port,
          method,
          path,
          agent: isolated ? false : agent,
          headers,
          setHost: !d?.noHost,
        });
      } catch (err) {
        done({ error: `client-refused:${(err as NodeJS.ErrnoException).code ?? 'error'}` });
        return;
      }
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
      req.on('error', (err: NodeJS.ErrnoException) => done({ error: err.code ?? err.message }));
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < RESPONSE_KEEP) body += chunk;
        });
        res.on('end', () => done({ status: res.statusCode ?? 0, body: body.slice(0, RESPONSE_KEEP) }));
        res.on('error', () => done({ status: res.statusCode ?? 0, body }));
      });
      if (!d) req.end();
      else if (!d.chunked) req.end(d.body);
      else {
        for (let at = 0; at < d.body.length && !settled && !req.destroyed; at += 65_536) {
          req.write(d.body.subarray(at, at + 65_536));
        }
        req.end();
      }
    });
  return {
    send: (d) => exchange('POST', d.path, d),
    get: (path) => exchange('GET', path),
    close: () => agent.destroy(),
  };
}

let collect: (() => void) | undefined | null;

/** A full GC when V8 allows one to be exposed at run time, so memory figures mean something. */
function collectGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}

function memory(): { rss: number; heap: number; external: number } {
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external };
}

function sample(index: number, d: Delivery, a: Answer): FuzzSample {
  const headers: Record<string, string | string[]> = {};
  const clip = (v: string) => (v.length > 200 ? `${v.slice(0, 200)}...(${v.length} chars)` : v);
  for (const [k, v] of Object.entries(d.headers)) headers[k] = Array.isArray(v) ? v.map(clip) : clip(v);
  return {
    index,
    kind: d.kind,
    mutation: d.mutation,
    expect: d.expect,
    ...(d.status === undefined ? {} : { expectStatus: d.status }),
    status: 'status' in a ? a.status : a.error,
    response: 'status' in a ? a.body : '',
    path: d.path,
    headers,
    bodyLength: d.body.length,
    bodyHead: d.body.subarray(0, 1024).toString('base64'),
  };
}

/** Fuzzes the reference receiver of one vendor; resolves with what was seen. */
export async function fuzzReceiver(options: FuzzOptions): Promise<FuzzReport> {
  const target = FUZZ_TARGETS[options.vendor];
  if (!target) {
    throw new Error(
      `fuzz: unknown vendor "${options.vendor}"; known: ${Object.keys(FUZZ_TARGETS).join(', ')}`,
    );
  }
  const { wrapScheme } = options;
  const adapter = wrapScheme
    ? {
        ...target.adapter,
        webhooks: (s: Parameters<typeof target.adapter.webhooks>[0]) =>
          wrapScheme(target.adapter.webhooks(s)),
      }
    : target.adapter;
  const receiver = await startReceiverFor(adapter, [target.secret], {
    processor: options.processor ?? true,
  });
  let eventsAccepted = 0;
  receiver.pipeline.events.on('accepted', (events) => {
    eventsAccepted += events.length;
  });
  const bodyLimit = receiver.pipeline.app.initialConfig.bodyLimit ?? 5 * 1024 * 1024;
  const build = deliveryBuilder(
    {
      target,
      scheme: target.adapter.webhooks({ secrets: [target.secret] }),
      origin: receiver.address,
      path: receiver.pipeline.path,
      bodyLimit,
      huge: Buffer.alloc(bodyLimit + 65_536, 'a'),
    },
    options.mix,
  );
  const http = sender(receiver.address, options.concurrency);
  const maxSamples = options.maxSamples ?? 20;
  const statuses: Record<string, number> = {};
  const kinds: Record<Delivery['kind'], number> = { valid: 0, mutation: 0, random: 0 };
  const mutations: Record<string, Record<string, number>> = {};
  const samples = {
    crashes: [] as FuzzSample[],
    forged: [] as FuzzSample[],
    lenient: [] as FuzzSample[],
    authenticRefused: [] as FuzzSample[],
    unavailable: [] as FuzzSample[],
    statusMismatches: [] as FuzzSample[],
  };
  const validMs: number[] = [];
  const counts = {
    crashes: 0,
    forged: 0,
    lenient: 0,
    authenticRefused: 0,
    authenticUnavailable: 0,
    netErrors: 0,
    statusMismatches: 0,
  };
  const keep = (list: FuzzSample[], i: number, d: Delivery, a: Answer) => {
    if (list.length < maxSamples) list.push(sample(i, d, a));
  };

  const record = (i: number, d: Delivery, a: Answer) => {
    kinds[d.kind]++;
    const key =
      'status' in a
        ? String(a.status)
        : a.error.startsWith('client-refused')
          ? 'client-refused'
          : 'net-error';
    statuses[key] = (statuses[key] ?? 0) + 1;
    const perMutation = mutations[d.mutation] ?? {};
    mutations[d.mutation] = perMutation;
    perMutation[key] = (perMutation[key] ?? 0) + 1;
    if (!('status' in a)) {
      if (key === 'client-refused') return;
      counts.netErrors++;
      // A size-limit rejection may close the socket under a request still being written.
      if (!MAY_DROP.test(d.mutation)) {
        counts.crashes++;
        keep(samples.crashes, i, d, a);
      }
      return;
    }
    const { status } = a;
    if (d.status !== undefined && status !== d.status) {
      counts.statusMismatches++;
      keep(samples.statusMismatches, i, d, a);
    }
    if (status >= 500 && status !== 503) {
      counts.crashes++;
      keep(samples.crashes, i, d, a);
    }
    if (status === 200 && d.expect === 'forged') {
      counts.forged++;
      keep(samples.forged, i, d, a);
    }
    if (status === 200 && d.expect === 'reject') {
      counts.lenient++;
      keep(samples.lenient, i, d, a);
    }
    if (d.expect === 'accept' && status !== 200 && status !== 503) {
      counts.authenticRefused++;
      keep(samples.authenticRefused, i, d, a);
    }
    if (status === 503) {
      if (d.expect === 'accept') counts.authenticUnavailable++;
      keep(samples.unavailable, i, d, a);
    }
  };

  const slow =
    options.slowHeaderConnections === undefined
      ? undefined
      : await openSlowHeaderConnections(
          receiver.address,
          receiver.pipeline.path,
          options.slowHeaderConnections,
        ).catch(async (err: unknown) => {
          http.close();
          await receiver.close();
          throw err;
        });
  collectGarbage();
  const before = memory();
  const checkpoints: MemoryCheckpoint[] = [];
  let rssPeak = before.rss;
  const start = Date.now();
  const deadline = options.durationMs === undefined ? Number.POSITIVE_INFINITY : start + options.durationMs;
  let next = 0;
  let sent = 0;
  const tick = setInterval(() => {
    const rss = process.memoryUsage.rss();
    rssPeak = Math.max(rssPeak, rss);
    options.onProgress?.({
      vendor: options.vendor,
      sent,
      elapsedMs: Date.now() - start,
      crashes: counts.crashes,
      forgedAccepted: counts.forged,
      rssBytes: rss,
    });
  }, options.progressIntervalMs ?? 5_000);
  tick.unref();

  // Deliveries go out in rounds of `memoryEvery` (one round when not asked for); between rounds
  // nothing is in flight, so a checkpoint measures what the receiver keeps, not what it is reading.
  const round = options.memoryEvery ?? options.deliveries;
  const worker = async (end: number) => {
    while (next < end && Date.now() < deadline) {
      const i = next++;
      const d = build(rngFor(options.seed, i), i);
      const sentAt = performance.now();
      const answer = await http.send(d);
      if (d.kind === 'valid') validMs.push(performance.now() - sentAt);
      record(i, d, answer);
      sent++;
    }
  };
  const workers = async () => {
    for (let end = round; ; end += round) {
      const last = Math.min(end, options.deliveries);
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, () => worker(last)));
      if (options.memoryEvery !== undefined) {
        collectGarbage();
        checkpoints.push({ sent, ...memory() });
      }
      if (last >= options.deliveries || Date.now() >= deadline) return;
    }
  };
  let healthy = false;
  let durationMs = 0;
  let finished = false;
  try {
    await workers();
    durationMs = Date.now() - start;
    const health = await http.get('/healthz');
    healthy = 'status' in health && health.status === 200;
    finished = true;
  } finally {
    clearInterval(tick);
    http.close();
    slow?.close();
    // On a failure of the fuzzer itself, still free the port and the temp folder.
    if (!finished) await receiver.close();
  }
  collectGarbage();
  const after = memory();
  await receiver.close();
  return {
    vendor: options.vendor,
    seed: options.seed,
    sent,
    durationMs,
    deliveriesPerSecond: durationMs > 0 ? (sent * 1000) / durationMs : 0,
    statuses,
    kinds,
    mutations,
    crashes: counts.crashes,
    forgedAccepted: counts.forged,
    lenientAccepted: counts.lenient,
    authenticRefused: counts.authenticRefused,
    authenticUnavailable: counts.authenticUnavailable,
    statusMismatches: counts.statusMismatches,
    validLatencyMs: latencyFigures(validMs),
    ...(slow ? { slowConnections: { opened: slow.opened, closedByServer: slow.closedByServer } } : {}),
    eventsAccepted,
    netErrors: counts.netErrors,
    healthy,
    memory: {
      rssBefore: before.rss,
      checkpoints,
      rssAfter: after.rss,
      rssPeak: Math.max(rssPeak, after.rss),
      heapBefore: before.heap,
      heapAfter: after.heap,
    },
    samples,
  };
}

/** The vendors the fuzzer knows, in registry order. */
export const FUZZ_VENDORS: readonly string[] = Object.keys(FUZZ_TARGETS);
