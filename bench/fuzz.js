// Receiver fuzzer: sends a seeded mix of valid, mutated and random webhook deliveries to the
// reference receiver of each vendor and reports crashes (5xx other than 503), forged deliveries
// accepted, hostile deliveries answered other than their one status (413 too many events, 415
// foreign content type, 400 not UTF-8, 404 another spelling of the path...), whether the
// receiver still answers, and memory before and after.
//
//   npm run fuzz -- [--minutes 1] [--vendor id|all] [--seed N] [--concurrency 64]
//
// Exits 1 on any crash, forged acceptance, wrong status or receiver that stopped answering; 2 on
// bad options.
import { FUZZ_VENDORS, fuzzReceiver } from '../dist/test/fuzz/receiver-fuzz.js';
import { parseOptions } from './options.js';

const USAGE = `usage: node bench/fuzz.js [options]   (after npm run build)
  --minutes N        total fuzzing time, split evenly across the vendors (default 1)
  --vendor id|all    one of ${FUZZ_VENDORS.join(', ')}, or all (default all)
  --seed N           PRNG seed (default: from the clock, printed so a run can be repeated)
  --concurrency N    requests in flight (default 64)
  --no-processor     leave the pipeline's processor stopped
  --slow-headers N   hold N slowloris connections open through each vendor's run (default 0)`;

function options() {
  const { values } = parseOptions(USAGE, {
    minutes: { type: 'string', default: '1' },
    vendor: { type: 'string', default: 'all' },
    seed: { type: 'string', default: String(Date.now() % 2_147_483_647) },
    concurrency: { type: 'string', default: '64' },
    'no-processor': { type: 'boolean', default: false },
    'slow-headers': { type: 'string', default: '0' },
  });
  const number = (name) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number`);
    return n;
  };
  const opts = {
    minutes: number('minutes'),
    vendor: values.vendor,
    seed: Math.floor(number('seed')),
    concurrency: Math.max(1, Math.round(number('concurrency'))),
    processor: !values['no-processor'],
    slowHeaders: Math.round(number('slow-headers')),
  };
  if (opts.vendor !== 'all' && !FUZZ_VENDORS.includes(opts.vendor)) {
    throw new Error(`--vendor: unknown vendor "${opts.vendor}"; known: ${FUZZ_VENDORS.join(', ')}, all`);
  }
  if (opts.minutes <= 0) throw new Error('--minutes must be more than 0');
  return opts;
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)}`;

function printTable(reports) {
  const rows = reports.map((r) => ({
    vendor: r.vendor,
    sent: String(r.sent),
    'per s': r.deliveriesPerSecond.toFixed(0),
    statuses: Object.entries(r.statuses)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([status, n]) => `${status}:${n}`)
      .join(' '),
    crashes: String(r.crashes),
    forged: String(r.forgedAccepted),
    'wrong status': String(r.statusMismatches),
    lenient: String(r.lenientAccepted),
    'ok->503': String(r.authenticUnavailable),
    'valid p50/p99 ms': `${r.validLatencyMs.p50.toFixed(1)}/${r.validLatencyMs.p99.toFixed(1)}`,
    healthy: r.healthy ? 'yes' : 'NO',
    'rss MB before->after': `${mb(r.memory.rssBefore)}->${mb(r.memory.rssAfter)}`,
    'heap MB before->after': `${mb(r.memory.heapBefore)}->${mb(r.memory.heapAfter)}`,
  }));
  const columns = Object.keys(rows[0] ?? {});
  const width = (c) => Math.max(c.length, ...rows.map((r) => r[c].length));
  const line = (cells) => cells.map((v, i) => v.padEnd(width(columns[i]))).join('  ');
  console.log(line(columns));
  console.log(line(columns.map((c) => '-'.repeat(width(c)))));
  for (const r of rows) console.log(line(columns.map((c) => r[c])));
}

function printSamples(reports) {
  for (const r of reports) {
    for (const [what, list] of Object.entries({
      crash: r.samples.crashes,
      forged: r.samples.forged,
      lenient: r.samples.lenient,
      'authentic refused': r.samples.authenticRefused,
      'wrong status': r.samples.statusMismatches,
    })) {
      for (const s of list.slice(0, 3)) {
        const headers = Object.entries(s.headers)
          .map(([k, v]) => `${k}: ${String(v).slice(0, 80)}`)
          .join('; ');
        console.log(
          `${r.vendor} ${what}: delivery #${s.index} (${s.mutation}, expected ${s.expectStatus ?? s.expect}) -> ${s.status} ` +
            `${s.response.slice(0, 120)}\n    POST ${s.path} [${headers}] body ${s.bodyLength} bytes, ` +
            `first 120 base64: ${s.bodyHead.slice(0, 120)}`,
        );
      }
    }
  }
}

async function main() {
  let opts;
  try {
    opts = options();
  } catch (err) {
    console.error(`${err.message}\n${USAGE}`);
    return 2;
  }
  const vendors = opts.vendor === 'all' ? FUZZ_VENDORS : [opts.vendor];
  const durationMs = (opts.minutes * 60_000) / vendors.length;
  console.log(
    `fuzzing ${vendors.join(', ')} for ${(durationMs / 1000).toFixed(0)} s each, seed ${opts.seed}, ` +
      `concurrency ${opts.concurrency}`,
  );
  const reports = [];
  for (const vendor of vendors) {
    const report = await fuzzReceiver({
      vendor,
      seed: opts.seed,
      deliveries: Number.MAX_SAFE_INTEGER,
      durationMs,
      concurrency: opts.concurrency,
      processor: opts.processor,
      ...(opts.slowHeaders > 0 ? { slowHeaderConnections: opts.slowHeaders } : {}),
      onProgress: (p) =>
        console.log(
          `[${vendor}] ${(p.elapsedMs / 1000).toFixed(0)} s: ${p.sent} sent ` +
            `(${((p.sent * 1000) / Math.max(1, p.elapsedMs)).toFixed(0)}/s), crashes ${p.crashes}, ` +
            `forged accepted ${p.forgedAccepted}, rss ${mb(p.rssBytes)} MB`,
        ),
    });
    console.log(
      `[${vendor}] done: ${report.sent} sent in ${(report.durationMs / 1000).toFixed(1)} s, ` +
        `crashes ${report.crashes}, forged accepted ${report.forgedAccepted}, wrong status ${report.statusMismatches}`,
    );
    reports.push(report);
  }
  console.log('');
  printTable(reports);
  printSamples(reports);
  const failed = reports.filter(
    (r) => r.crashes > 0 || r.forgedAccepted > 0 || r.statusMismatches > 0 || !r.healthy,
  );
  if (failed.length > 0) {
    console.log(`\nFAILED: ${failed.map((r) => r.vendor).join(', ')} (seed ${opts.seed})`);
    return 1;
  }
  console.log(`\nok: no crash, no forged delivery accepted, every status as stated (seed ${opts.seed})`);
  return 0;
}

process.exitCode = await main();
