// Receiver benchmark: how fast is the reference receiver (verify + dedupe + durable enqueue)
// compared with the least a Node endpoint can do (bare Fastify), and how many events/s does it
// take when HubSpot batches 100 events per delivery. Prints figures measured in this run only.
//
//   npm run build && node bench/receiver.bench.js [--seconds 10] [--help for the options]
//
// Each server runs in its own child process, pinned to its own core when `taskset` exists, and
// this process (the load generator, autocannon) keeps the other core.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { signHeaders } from '../dist/harness/vendors/hubspot/signature.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const PATH = '/webhooks/hubspot';
const SECRET = 'bench-client-secret-0123456789abcdef';
const NON_2XX_LIMIT = 0.001;
const USAGE = `usage: node bench/receiver.bench.js [options]   (after npm run build)
  --seconds N          measured seconds per phase (default 10)
  --warmup N           unmeasured warm-up seconds per phase (default 2)
  --connections N      concurrent connections (default 100)
  --modes a,b          durability modes of the full receiver (default power-loss,process-crash)
  --pool N             pre-signed 1-event deliveries per phase (default 40000/s, at most 600000)
  --batch-pool N       pre-signed 100-event deliveries per phase (default 2000)
  --no-pin             do not pin server and load generator to separate cores with taskset
  --plain-autocannon   let autocannon build each request (slower load generator)`;

// ---------------------------------------------------------------------------------------------
// Options

function options(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '100' },
      modes: { type: 'string', default: 'power-loss,process-crash' },
      // Pre-signed deliveries per phase (default: enough for ~40k req/s); past that the generator
      // signs on the fly, it never repeats one.
      pool: { type: 'string' },
      'batch-pool': { type: 'string', default: '2000' },
      'no-pin': { type: 'boolean', default: false },
      'plain-autocannon': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (name) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
    return n;
  };
  const opts = {
    seconds: number('seconds'),
    warmup: number('warmup'),
    connections: Math.max(1, Math.round(number('connections'))),
    modes: values.modes.split(',').filter(Boolean),
    pool: values.pool === undefined ? undefined : Math.round(number('pool')),
    batchPool: Math.round(number('batch-pool')),
    pin: !values['no-pin'],
    raw: !values['plain-autocannon'],
  };
  for (const m of opts.modes) {
    if (m !== 'power-loss' && m !== 'process-crash') throw new Error(`--modes: unknown mode ${m}`);
  }
  if (opts.seconds < 1) throw new Error('--seconds must be at least 1');
  opts.pool ??= Math.min(600_000, 40_000 * (opts.seconds + opts.warmup));
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Child processes: started, tracked and always killed, whatever way this process ends.

const children = new Set();
const tempDirs = new Set();

function cleanupSync() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping servers and removing temp data`);
    cleanupSync();
    process.exit(130);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function hasTaskset() {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Spawns `node <args>` (pinned to `cpu` if given) and resolves once it prints its ready line. */
function startServer(label, args, { env = {}, cpu } = {}) {
  const command = cpu === undefined ? process.execPath : 'taskset';
  const argv = cpu === undefined ? args : ['-c', String(cpu), process.execPath, ...args];
  // taskset execs node in place, so child.pid is the server's own pid (what /proc is read for).
  const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => fail(new Error(`${label}: not ready after 20 s\n${stdout}${stderr}`)),
      20_000,
    );
    const fail = (err) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.once('exit', (code, signal) =>
      fail(new Error(`${label} exited (${code ?? signal}) before ready\n${stderr}`)),
    );
    child.stdout.on('data', (d) => {
      stdout += d;
      if (/listening on http:\/\//.test(stdout)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.once('exit', () => children.delete(child));
        // Keep draining stdout so a chatty server can never block on a full pipe.
        child.stdout.resume();
        resolve({ child, pid: child.pid, stop: () => stopChild(child) });
      }
    });
  });
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// ---------------------------------------------------------------------------------------------
// Process figures: peak RSS and CPU time, from /proc on Linux; RSS by polling `ps` elsewhere.

const HAS_PROC = (() => {
  try {
    readFileSync('/proc/self/status');
    return true;
  } catch {
    return false;
  }
})();
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system, all threads) of a process; undefined off Linux. */
function cpuSeconds(pid) {
  if (!HAS_PROC) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** Tracks a process's peak RSS: VmHWM is the kernel's own high-water mark, exact and free. */
function rssTracker(pid) {
  let peakKib = 0;
  const sample = () => {
    try {
      if (HAS_PROC) {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) peakKib = Math.max(peakKib, Number(m[1]));
      } else {
        const out = execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
        peakKib = Math.max(peakKib, Number(out.trim()) || 0);
      }
    } catch {
      // The process is gone; keep the last sample.
    }
  };
  // Off Linux there is no high-water mark, so poll; on Linux one read at the end is enough.
  const timer = HAS_PROC ? undefined : setInterval(sample, 250);
  return {
    peakMib() {
      sample();
      if (timer) clearInterval(timer);
      return peakKib / 1024;
    },
  };
}

/**
 * Median write + fdatasync of one 4 KiB page where the databases live: what each power-loss
 * group commit waits for (SQLite syncs the WAL once per commit), so the two modes can be read.
 */
function fsyncProbeMs(dir, rounds = 50) {
  const file = join(dir, 'fsync-probe');
  const fd = openSync(file, 'w');
  const page = Buffer.alloc(4096, 1);
  const times = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const t0 = process.hrtime.bigint();
      writeSync(fd, page, 0, page.length, (i % 8) * page.length);
      fdatasyncSync(fd);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// ---------------------------------------------------------------------------------------------
// Deliveries: every event in the whole run is unique, or dedupe would drop it and the bench
// would measure duplicate handling instead of enqueueing.

let nextEventId = 1;
const OCCURRED_AT = Date.now();

function eventJson(id) {
  return (
    `{"eventId":${id},"subscriptionId":1,"portalId":62515,"appId":54321,"occurredAt":${OCCURRED_AT + id},` +
    `"subscriptionType":"contact.propertyChange","attemptNumber":0,"objectId":${1000 + id},` +
    `"changeSource":"API","propertyName":"poc_seq","propertyValue":"v${id}"}`
  );
}

/**
 * One signed delivery as the exact HTTP/1.1 request bytes autocannon would write, so the load
 * generator can send them as they are. One Buffer and no other object per delivery, to keep a
 * pool of hundreds of thousands affordable.
 */
function signedDelivery(port, eventsPerDelivery) {
  const parts = new Array(eventsPerDelivery);
  for (let i = 0; i < eventsPerDelivery; i++) parts[i] = eventJson(nextEventId++);
  const body = `[${parts.join(',')}]`;
  const timestamp = Date.now();
  const url = `http://127.0.0.1:${port}${PATH}`;
  const headers = {
    'content-type': 'application/json',
    ...signHeaders(SECRET, 'v3', { method: 'POST', url, body, timestamp }),
  };
  let head = `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  return Buffer.from(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** The body and the headers autocannon does not write itself, back out of a pre-built request. */
function deliveryParts(raw) {
  const end = raw.indexOf('\r\n\r\n');
  const headers = {};
  for (const line of raw.toString('latin1', 0, end).split('\r\n').slice(1)) {
    const colon = line.indexOf(': ');
    const name = line.slice(0, colon);
    if (!/^(host|connection|content-length)$/i.test(name)) headers[name] = line.slice(colon + 2);
  }
  return { body: raw.subarray(end + 4), headers };
}

/**
 * A stream of signed deliveries for one server. Pre-signed up front so that signing does not
 * slow the load generator; if the run outlasts the pool it signs on the fly rather than repeat.
 */
function deliverySource(port, eventsPerDelivery, poolSize) {
  const pool = new Array(poolSize);
  for (let i = 0; i < poolSize; i++) pool[i] = signedDelivery(port, eventsPerDelivery);
  let used = 0;
  let onTheFly = 0;
  return {
    next() {
      if (used < pool.length) {
        const d = pool[used];
        pool[used++] = undefined; // let sent bodies be collected
        return d;
      }
      onTheFly++;
      return signedDelivery(port, eventsPerDelivery);
    },
    stats: () => ({ presigned: Math.min(used, pool.length), signedOnTheFly: onTheFly }),
  };
}

// ---------------------------------------------------------------------------------------------
// Load

/**
 * autocannon rebuilds a request with a setupRequest hook from scratch every time (merge headers,
 * serialise, concatenate the body): about a quarter of the load generator's core at 40k req/s,
 * on a machine where the load generator has one core, and the bare baseline is the first to hit
 * that ceiling. This teaches its request iterator to send a request's `rawRequest()` bytes as
 * they are. It touches autocannon internals, so it checks they look as expected and otherwise
 * leaves autocannon alone (setupRequest then does the same job, slower).
 */
function enableRawRequests() {
  try {
    const RequestIterator = createRequire(import.meta.url)('autocannon/lib/requestIterator.js');
    const rebuild = RequestIterator?.prototype?.rebuildRequest;
    if (typeof rebuild !== 'function' || typeof RequestIterator.prototype.nextRequest !== 'function')
      return false;
    RequestIterator.prototype.rebuildRequest = function rebuildRequest() {
      const raw = this.currentRequest?.rawRequest;
      if (typeof raw !== 'function') return rebuild.call(this);
      this.resetted = false;
      this.currentRequest.requestBuffer = raw();
      return this.currentRequest.requestBuffer;
    };
    return true;
  } catch {
    return false;
  }
}

function load(port, source, connections, seconds, raw) {
  const counts = { raw: 0, built: 0 };
  const request = {
    method: 'POST',
    path: PATH,
    // The ordinary hook: one fresh delivery per request. The object autocannon passes has its
    // own headers copy, so mutating it is safe. autocannon calls it only when rawRequest is off.
    setupRequest(req) {
      const d = deliveryParts(source.next());
      counts.built++;
      req.body = d.body;
      Object.assign(req.headers, d.headers);
      return req;
    },
  };
  if (raw) {
    request.rawRequest = () => {
      counts.raw++;
      return source.next();
    };
  }
  const run = autocannon({
    url: `http://127.0.0.1:${port}`, // autocannon sends Host: 127.0.0.1:<port>, the signed URL's host
    connections,
    duration: seconds,
    timeout: 10,
    requests: [request],
  });
  return run.then((result) => ({ result, counts }));
}

async function scrapeMetrics(port) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sum = (name, filter = '') => {
    let total = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
        if (filter && !line.includes(filter)) continue;
        total += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
      }
    }
    return total;
  };
  return {
    eventsTotal: sum('poc_webhook_receiver_events_total'),
    duplicatesTotal: sum('poc_webhook_receiver_duplicates_total'),
    appliedTotal: sum('poc_webhook_events_applied_total'),
    rejected401: sum('poc_webhook_receiver_requests_total', 'status="401"'),
  };
}

function serverArgs(phase, port) {
  if (phase.server === 'bare') return ['bench/bare-fastify.js', String(port), '127.0.0.1', PATH];
  return [
    'bin/poc.js',
    'receiver',
    '--vendor',
    'hubspot',
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--data-dir',
    phase.dataDir,
    '--durability',
    phase.durability,
  ];
}

/**
 * One phase: a fresh server process (so its peak RSS is this phase's), a warm-up that is not
 * counted, then the measured run.
 */
async function runPhase(opts, env, phase) {
  const port = await freePort();
  // NO_PROCESSOR: measure receive + verify + dedupe + enqueue, not draining the queue as well.
  const serverEnv = { POC_HUBSPOT_CLIENT_SECRET: SECRET, POC_RECEIVER_NO_PROCESSOR: '1' };
  const server = await startServer(phase.label, serverArgs(phase, port), {
    env: serverEnv,
    cpu: env.serverCpu,
  });
  try {
    const poolSize = phase.eventsPerDelivery === 1 ? opts.pool : opts.batchPool;
    process.stdout.write(`  ${phase.label}: signing ${fmt(poolSize)} deliveries...`);
    const source = deliverySource(port, phase.eventsPerDelivery, poolSize);
    if (opts.warmup > 0) {
      process.stdout.write(` warm-up ${opts.warmup} s...`);
      await load(port, source, opts.connections, opts.warmup, env.raw);
    }

    process.stdout.write(` measuring ${opts.seconds} s...`);
    const rss = rssTracker(server.pid);
    const cpu0 = cpuSeconds(server.pid);
    const self0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const { result, counts } = await load(port, source, opts.connections, opts.seconds, env.raw);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const self = process.cpuUsage(self0);
    const cpu1 = cpuSeconds(server.pid);
    const metrics = phase.server === 'full' ? await scrapeMetrics(port) : undefined;
    const peakRssMib = rss.peakMib();
    process.stdout.write(' done\n');

    const completed = result.requests.total;
    const reqPerSec = completed / result.duration;
    const serverCpuPct = cpu0 === undefined || cpu1 === undefined ? null : ((cpu1 - cpu0) / wall) * 100;
    const bad = result.non2xx + result.errors + result.timeouts;
    return {
      label: phase.label,
      server: phase.server,
      durability: phase.durability ?? null,
      eventsPerDelivery: phase.eventsPerDelivery,
      seconds: result.duration,
      requests: completed,
      reqPerSec,
      eventsPerSec: reqPerSec * phase.eventsPerDelivery,
      // Work per CPU-second of the server: steadier than req/s on a shared machine, but blind to
      // time spent waiting (fsync), which req/s does show.
      eventsPerCpuSec: serverCpuPct ? (reqPerSec * phase.eventsPerDelivery) / (serverCpuPct / 100) : null,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      peakRssMib,
      serverCpuPct,
      loadCpuPct: ((self.user + self.system) / 1e6 / wall) * 100,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      badFraction: completed + result.errors > 0 ? bad / (completed + result.errors) : 1,
      statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
      deliveries: { ...source.stats(), sentRaw: counts.raw > 0 },
      metrics,
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? '-'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function printTable(rows) {
  const cols = [
    ['phase', 38, (r) => r.label],
    ['req/s', 9, (r) => fmt(r.reqPerSec)],
    ['events/s', 10, (r) => fmt(r.eventsPerSec)],
    ['p99 ms', 7, (r) => fmt(r.p99Ms)],
    ['peak RSS MiB', 13, (r) => fmt(r.peakRssMib, 1)],
    ['srv CPU %', 10, (r) => fmt(r.serverCpuPct)],
    ['ev/srv CPU-s', 13, (r) => fmt(r.eventsPerCpuSec)],
    ['load CPU %', 11, (r) => fmt(r.loadCpuPct)],
    ['non-2xx', 8, (r) => fmt(r.non2xx + r.errors + r.timeouts)],
  ];
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(cols[i][1]) : c.padStart(cols[i][1]))).join(' ');
  console.log(line(cols.map((c) => c[0])));
  for (const r of rows) console.log(line(cols.map((c) => c[2](r))));
}

function planPhases(opts, root) {
  const phases = [{ label: 'bare fastify, 1 event/request', server: 'bare', eventsPerDelivery: 1 }];
  for (const durability of opts.modes) {
    // One database per mode: the 100-event phase runs on a dedupe table that already holds the
    // 1-event phase's keys, closer to a receiver that has been up a while than an empty file.
    const dataDir = join(root, durability);
    const full = { server: 'full', durability, dataDir };
    phases.push(
      { ...full, label: `full receiver (${durability}), 1 event`, eventsPerDelivery: 1 },
      { ...full, label: `full receiver (${durability}), 100 ev`, eventsPerDelivery: 100 },
    );
  }
  phases.push({ label: 'bare fastify, 100 events/request', server: 'bare', eventsPerDelivery: 100 });
  return phases;
}

function compare(rows) {
  const bare = (n) => rows.find((r) => r.server === 'bare' && r.eventsPerDelivery === n);
  return rows
    .filter((r) => r.server === 'full')
    .map((r) => {
      const b = bare(r.eventsPerDelivery);
      return {
        durability: r.durability,
        eventsPerDelivery: r.eventsPerDelivery,
        throughput: r.reqPerSec / b.reqPerSec,
        // The same ratio in work per server CPU-second: what it would be if neither server waited
        // on anything (disk, the load generator, a neighbour on the host).
        perCpuSec: r.eventsPerCpuSec && b.eventsPerCpuSec ? r.eventsPerCpuSec / b.eventsPerCpuSec : null,
      };
    });
}

function printComparisons(ratios, rows) {
  for (const c of ratios) {
    const what = `ratio full/bare (${c.durability}, ${c.eventsPerDelivery} event${c.eventsPerDelivery === 1 ? '' : 's'}/req)`;
    const aim = c.eventsPerDelivery === 1 ? `  aim >= 0.6: ${c.throughput >= 0.6 ? 'met' : 'NOT met'}` : '';
    console.log(`${what.padEnd(50)}${fmt(c.throughput, 3)} req/s, ${fmt(c.perCpuSec, 3)} per CPU-s${aim}`);
  }
  for (const r of rows.filter((x) => x.server === 'full' && x.eventsPerDelivery === 100)) {
    const met = r.eventsPerSec >= 100_000 ? 'met' : 'NOT met';
    console.log(
      `${`events/s, 100-event deliveries (${r.durability})`.padEnd(50)}${fmt(r.eventsPerSec)}  aim >= 100,000: ${met}`,
    );
  }
  // What the receiver itself says it accepted: proves the 2xx were real enqueues, not 401s or
  // duplicates. Its count includes the warm-up and the requests in flight when autocannon stopped.
  console.log('');
  for (const r of rows.filter((x) => x.metrics)) {
    const m = r.metrics;
    console.log(
      `${r.label}: receiver counted ${fmt(m.eventsTotal)} events accepted, ${fmt(m.duplicatesTotal)} duplicates, ` +
        `${fmt(m.rejected401)} 401s, ${fmt(m.appliedTotal)} applied by the processor`,
    );
  }
}

function collectWarnings(rows, rawEnabled) {
  const warnings = [];
  for (const r of rows) {
    if (r.badFraction > NON_2XX_LIMIT) {
      warnings.push(
        `${r.label}: ${(r.badFraction * 100).toFixed(2)}% of responses were not 2xx ` +
          `(status ${JSON.stringify(r.statusCodes)}, ${r.errors} errors, ${r.timeouts} timeouts): THIS FIGURE IS WORTHLESS`,
      );
    }
    if (r.metrics && r.metrics.duplicatesTotal > 0) {
      warnings.push(
        `${r.label}: the receiver saw ${r.metrics.duplicatesTotal} duplicates; events were not unique`,
      );
    }
    if (r.metrics && r.metrics.eventsTotal < r.requests * r.eventsPerDelivery) {
      warnings.push(
        `${r.label}: the receiver counted fewer accepted events than the 2xx responses account for`,
      );
    }
    if (r.loadCpuPct >= 90) {
      const pool =
        r.deliveries.signedOnTheFly > 0
          ? `; ${fmt(r.deliveries.signedOnTheFly)} signed on the fly, raise the pool`
          : '';
      warnings.push(
        `${r.label}: the load generator used ${fmt(r.loadCpuPct)}% of its core, the server may be faster${pool}`,
      );
    }
    if (r.serverCpuPct !== null && r.serverCpuPct < 80 && r.loadCpuPct < 80) {
      const why = r.durability === 'power-loss' ? 'expected in power-loss: fsync waits' : 'a busy host?';
      warnings.push(
        `${r.label}: neither the server (${fmt(r.serverCpuPct)}% CPU) nor the load generator ` +
          `(${fmt(r.loadCpuPct)}%) was saturated, so something else set the pace (${why}); ` +
          'trust the per CPU-s ratio more than the req/s one',
      );
    }
    if (rawEnabled && !r.deliveries.sentRaw) {
      warnings.push(
        `${r.label}: pre-built requests were not used (autocannon internals changed?); setupRequest was`,
      );
    }
  }
  if (rows.some((r) => r.metrics && r.metrics.appliedTotal > 0)) {
    warnings.push(
      'POC_RECEIVER_NO_PROCESSOR=1 had no effect: the processor ran inside the receiver process, so the full ' +
        'receiver figures include draining the queue into the local store',
    );
  }
  return warnings;
}

async function main() {
  const opts = options(process.argv.slice(2));
  const cores = availableParallelism();
  // Pin the server to the last core and the load generator to the first, so neither steals the
  // other's core and "one core" in the aims means one core.
  const pin = opts.pin && cores >= 2 && hasTaskset();
  if (pin) execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  const env = { serverCpu: pin ? cores - 1 : undefined, raw: opts.raw && enableRawRequests() };

  const root = mkdtempSync(join(tmpdir(), 'poc-receiver-bench-'));
  tempDirs.add(root);
  const fsyncMs = fsyncProbeMs(root);
  const header =
    `receiver bench (node ${process.version}, ${cores} cores, ${opts.seconds} s per phase after ${opts.warmup} s ` +
    `warm-up, ${opts.connections} connections, ` +
    `${pin ? `server pinned to cpu ${env.serverCpu}, load generator to cpu 0` : 'not pinned'}, ` +
    `${env.raw ? 'pre-built requests' : 'autocannon setupRequest'}, fsync ${fsyncMs.toFixed(2)} ms in ${tmpdir()})`;
  console.log(header);

  const rows = [];
  for (const phase of planPhases(opts, root)) rows.push(await runPhase(opts, env, phase));
  const ratios = compare(rows);

  console.log(`\n${header}`);
  printTable(rows);
  console.log('');
  printComparisons(ratios, rows);
  // Warnings last, where they are seen.
  const warnings = collectWarnings(rows, env.raw);
  if (warnings.length > 0) {
    console.log('');
    for (const w of warnings) console.log(`!!! WARNING: ${w}`);
  }

  const round = (n, digits = 0) => (n === null || n === undefined ? null : Number(n.toFixed(digits)));
  const summary = {
    bench: 'receiver',
    at: new Date().toISOString(),
    node: process.version,
    cores,
    pinned: pin,
    fsyncMs: round(fsyncMs, 3),
    rawRequests: env.raw,
    loadGeneratorPeakRssMib: round(process.resourceUsage().maxRSS / 1024, 1),
    seconds: opts.seconds,
    warmup: opts.warmup,
    connections: opts.connections,
    phases: rows.map(({ badFraction: _, ...r }) => ({
      ...r,
      reqPerSec: round(r.reqPerSec),
      eventsPerSec: round(r.eventsPerSec),
      eventsPerCpuSec: round(r.eventsPerCpuSec),
      peakRssMib: round(r.peakRssMib, 1),
      serverCpuPct: round(r.serverCpuPct),
      loadCpuPct: round(r.loadCpuPct),
    })),
    ratios: ratios.map((c) => ({
      ...c,
      throughput: round(c.throughput, 3),
      perCpuSec: round(c.perCpuSec, 3),
    })),
    warnings,
  };
  console.log(`\n${JSON.stringify(summary)}`);
}

main()
  .catch((err) => {
    console.error(`\nreceiver bench failed: ${err.stack ?? err}`);
    process.exitCode = 1;
  })
  .finally(cleanupSync);
