import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { NO_FAULTS } from '../../mock-vendor/faults.js';
import { buildMockVendor } from '../../mock-vendor/server.js';
import { collectGarbage, memory } from './memory.js';
import { buildRequest, type MockApiRequest, type RequestMix } from './mock-api-requests.js';
import { ALL_MOCK_API_TARGETS, MOCK_API_TARGETS, OTHER_MOCK_API_TARGETS } from './mock-api-targets.js';
import { rngFor } from './prng.js';

/**
 * A fuzzer for the emulations' public APIs. It starts one vendor's mock in this process (no
 * faults, limits out of the way), sends a seeded mix of requests near its real routes with mangled
 * paths, queries, credentials, headers and bodies over keep-alive HTTP, and collects what matters:
 * 5xx or no answer (a crash: no fault is injected), a 2xx on a route that needs a credential for a
 * request without a valid one, whether the mock still answers, and memory growth. Which route the
 * router picked comes from the mock itself (an onSend hook keyed by `x-fuzz-id`), so the oracle
 * never guesses how a mangled path was routed. It measures and reports; the test decides.
 */

export interface MockApiFuzzOptions {
  readonly vendor: string;
  readonly seed: number;
  readonly requests: number;
  readonly concurrency: number;
  readonly mix: RequestMix;
  /** Samples kept per finding kind (default 20). */
  readonly maxSamples?: number;
  /**
   * Changes the mock before it listens: lets a test plant a gate that lets everyone in, or a
   * handler that throws, and check that the fuzzer notices.
   */
  readonly plant?: (app: FastifyInstance) => void;
}

export interface MockApiSample {
  readonly index: number;
  readonly method: string;
  readonly path: string;
  readonly credential: MockApiRequest['credential'];
  readonly mutation: string;
  readonly route: string | null;
  readonly status: number | string;
  readonly response: string;
  readonly bodyHead: string;
}

export interface MockApiFuzzReport {
  readonly vendor: string;
  readonly seed: number;
  readonly sent: number;
  readonly durationMs: number;
  readonly requestsPerSecond: number;
  /** Count per HTTP status, plus `net-error` and `client-refused` (not sendable). */
  readonly statuses: Readonly<Record<string, number>>;
  /** 5xx, or no answer to a request the server had no reason to drop. */
  readonly crashes: number;
  /** 2xx on a route that needs a credential, for a request without a valid one. */
  readonly unauthorizedSuccess: number;
  /** 2xx for requests with the valid credential: the handlers were reached. */
  readonly authorizedSuccess: number;
  /** Route patterns the router matched at least once (`null` when none did). */
  readonly routesReached: readonly string[];
  readonly netErrors: number;
  /** /__admin/health and the authenticated reads of `state` all answered 200 after the run. */
  readonly healthy: boolean;
  /** What the valid token reads back before and after the run (records, webhook targets). */
  readonly stateBefore: unknown;
  readonly stateAfter: unknown;
  readonly memory: {
    readonly rssBefore: number;
    readonly rssAfter: number;
    readonly rssPeak: number;
    readonly heapBefore: number;
    readonly heapAfter: number;
  };
  readonly samples: {
    readonly crashes: readonly MockApiSample[];
    readonly unauthorized: readonly MockApiSample[];
  };
}

type Answer = { readonly status: number; readonly body: string } | { readonly error: string };

const RESPONSE_KEEP = 512;
const REQUEST_TIMEOUT_MS = 30_000;

function sender(origin: string, concurrency: number) {
  const { hostname, port } = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const send = (r: MockApiRequest): Promise<Answer> =>
    new Promise((resolve) => {
      let settled = false;
      const done = (a: Answer) => {
        if (!settled) {
          settled = true;
          resolve(a);
        }
      };
      const headers: Record<string, string | string[]> = { ...r.headers };
      if (r.body !== undefined) headers['content-length'] = String(r.body.length);
      // A request the server may cut short goes on a connection of its own (see receiver-fuzz.ts).
      if (r.mayDrop) headers.connection = 'close';
      let req: ReturnType<typeof request>;
      try {
        req = request({
          host: hostname,
          port,
          method: r.method,
          path: r.path,
          headers,
          agent: r.mayDrop ? false : agent,
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
      req.end(r.body);
    });
  return { send, close: () => agent.destroy() };
}

/** A webhook target for the mock's deliveries: answers 200 (with `reply`) and keeps nothing. */
async function startSink(reply: string) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml' }).end(reply));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Fuzzes one emulation's API; resolves with what was seen. */
export async function fuzzMockApi(options: MockApiFuzzOptions): Promise<MockApiFuzzReport> {
  const target = ALL_MOCK_API_TARGETS[options.vendor];
  if (!target) {
    throw new Error(
      `fuzz: no mock-API target "${options.vendor}"; known: ${Object.keys(ALL_MOCK_API_TARGETS).join(', ')}`,
    );
  }
  const sink = await startSink(target.sinkReply ?? '');
  const mock = buildMockVendor({
    vendor: target.vendor,
    token: target.token,
    clientSecret: target.secret,
    faults: { ...NO_FAULTS },
    timeScale: 1000,
    settings: target.settings,
  });
  // Which route the router matched, told by the mock as it answers (hooks see the same request).
  const routes = new Map<string, string | null>();
  mock.app.addHook('onSend', async (req, _reply, payload) => {
    const id = req.headers['x-fuzz-id'];
    if (typeof id === 'string') routes.set(id, req.routeOptions.url ?? null);
    return payload;
  });
  options.plant?.(mock.app);
  const origin = await mock.app.listen({ port: 0, host: '127.0.0.1' });
  const http = sender(origin, options.concurrency);
  const others = Object.values(ALL_MOCK_API_TARGETS).flatMap((t) =>
    t.routes.map((r) => r.path.replace(/\{\w+\}/g, 'x')),
  );
  const maxSamples = options.maxSamples ?? 20;
  const statuses: Record<string, number> = {};
  const counts = { crashes: 0, unauthorized: 0, authorized: 0, netErrors: 0 };
  const reached = new Set<string>();
  const samples = { crashes: [] as MockApiSample[], unauthorized: [] as MockApiSample[] };

  const record = (i: number, r: MockApiRequest, a: Answer) => {
    const key =
      'status' in a
        ? String(a.status)
        : a.error.startsWith('client-refused')
          ? 'client-refused'
          : 'net-error';
    statuses[key] = (statuses[key] ?? 0) + 1;
    const route = routes.get(String(i)) ?? null;
    routes.delete(String(i));
    if (route) reached.add(route);
    const sample = (): MockApiSample => ({
      index: i,
      method: r.method,
      path: r.path.length > 300 ? `${r.path.slice(0, 300)}...(${r.path.length} chars)` : r.path,
      credential: r.credential,
      mutation: r.mutation,
      route,
      status: 'status' in a ? a.status : a.error,
      response: 'status' in a ? a.body : '',
      bodyHead: r.body?.subarray(0, 512).toString('utf8') ?? '',
    });
    if (!('status' in a)) {
      if (key === 'client-refused') return;
      counts.netErrors++;
      if (!r.mayDrop) {
        counts.crashes++;
        if (samples.crashes.length < maxSamples) samples.crashes.push(sample());
      }
      return;
    }
    if (a.status >= 500) {
      counts.crashes++;
      if (samples.crashes.length < maxSamples) samples.crashes.push(sample());
    }
    if (a.status < 200 || a.status >= 300) return;
    if (r.credential === 'valid') counts.authorized++;
    else if (r.credential !== 'ambiguous' && !(route !== null && target.publicAnswer(route, a.body))) {
      counts.unauthorized++;
      if (samples.unauthorized.length < maxSamples) samples.unauthorized.push(sample());
    }
  };

  let healthy = false;
  let stateBefore: unknown;
  let stateAfter: unknown;
  let sent = 0;
  let durationMs = 0;
  let rssPeak = 0;
  collectGarbage();
  const before = memory();
  try {
    stateBefore = await target.state(origin, target.token);
    rssPeak = before.rss;
    const tick = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    }, 250);
    tick.unref();
    const start = Date.now();
    let next = 0;
    const worker = async () => {
      while (next < options.requests) {
        const i = next++;
        const r = buildRequest(rngFor(options.seed, i), i, target, { sink: sink.url }, options.mix, others);
        record(i, r, await http.send(r));
        sent++;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
    } finally {
      clearInterval(tick);
    }
    durationMs = Date.now() - start;
    const health = await fetch(`${origin}/__admin/health`);
    try {
      stateAfter = await target.state(origin, target.token);
      healthy = health.status === 200;
    } catch (err) {
      stateAfter = { unreadable: (err as Error).message };
    }
  } finally {
    http.close();
    await mock.close();
    await sink.close();
  }
  collectGarbage();
  const after = memory();
  return {
    vendor: target.vendor,
    seed: options.seed,
    sent,
    durationMs,
    requestsPerSecond: durationMs > 0 ? (sent * 1000) / durationMs : 0,
    statuses,
    crashes: counts.crashes,
    unauthorizedSuccess: counts.unauthorized,
    authorizedSuccess: counts.authorized,
    routesReached: [...reached].sort(),
    netErrors: counts.netErrors,
    healthy,
    stateBefore,
    stateAfter,
    memory: {
      rssBefore: before.rss,
      rssAfter: after.rss,
      rssPeak: Math.max(rssPeak, after.rss),
      heapBefore: before.heap,
      heapAfter: after.heap,
    },
    samples,
  };
}

/** The vendors of the mock-API fuzzer's first slice. */
export const MOCK_API_VENDORS: readonly string[] = Object.keys(MOCK_API_TARGETS);

/** The vendors of its second slice: Dataverse, Pipedrive and Zoho. */
export const OTHER_MOCK_API_VENDORS: readonly string[] = Object.keys(OTHER_MOCK_API_TARGETS);
