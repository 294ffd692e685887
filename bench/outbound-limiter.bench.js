// Outbound limiter benchmark: how well does the client-side rate limiter keep a run of writers
// under a vendor's limit? It drives the emulated HubSpot (a sliding window, time compressed 10x
// as in test/integration/outbound-client.test.ts) at a multiple of its limit through the real
// HubSpot adapter, and prints the share of 429s after the first window, the rate achieved
// against the limiter's own rate, the retries and the peak RSS. The baseline, measured in the
// same run, is the limiter alone: the same load acquiring tokens with no HTTP behind them.
//
//   npm run build && node bench/outbound-limiter.bench.js [--seconds 3] [--multiple 3]
//
// The mock runs in this process, on loopback, as in the test: client and vendor share one event
// loop, so a loaded machine shows up here as it does in CI.
import { parseArgs } from 'node:util';
import { ArrivalRate } from '../dist/harness/load/arrival-rate.js';
import { ClientRateLimiter } from '../dist/harness/pipeline/outbound/rate-limit.js';
import { hubspotApi } from '../dist/harness/vendors/hubspot/api.js';
import { NO_FAULTS } from '../dist/mock-vendor/faults.js';
import { buildMockVendor } from '../dist/mock-vendor/server.js';

const USAGE = `usage: node bench/outbound-limiter.bench.js [options]   (after npm run build)
  --seconds N      seconds of arrivals (default 3; the writes then drain at the limiter's rate)
  --multiple N     offered load as a multiple of the vendor's limit (default 3)
  --headroom N     the limiter's rate as a share of the vendor's limit (default 0.8)
  --burst N        the limiter's burst (default 3)`;

// The vendor: 10 requests per 100 ms, sliding (HubSpot's ten-secondly rolling window, compressed).
const WINDOW_MS = 100;
const LIMIT = 10;
const VENDOR_PER_SECOND = (LIMIT / WINDOW_MS) * 1000;
const TOKEN = 'pat-bench-outbound-0123456789';

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        seconds: { type: 'string', default: '3' },
        multiple: { type: 'string', default: '3' },
        headroom: { type: 'string', default: '0.8' },
        burst: { type: 'string', default: '3' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    console.error(`${err.message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (name, min, max) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < min || n > max) {
      console.error(`--${name} must be a number from ${min} to ${max}\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  return {
    seconds: number('seconds', 0.5, 60),
    multiple: number('multiple', 0.1, 20),
    headroom: number('headroom', 0.05, 2),
    burst: Math.round(number('burst', 1, 1000)),
  };
}

/** The limiter alone under the same arrivals: how close a token bucket on this machine gets to its rate. */
async function baseline(opts) {
  const limiter = new ClientRateLimiter(VENDOR_PER_SECOND * opts.headroom, opts.burst);
  const grants = [];
  await new ArrivalRate({
    iterationsPerSec: opts.multiple * VENDOR_PER_SECOND,
    durationMs: opts.seconds * 1000,
    maxInFlight: 1_000_000,
    iteration: async () => {
      await limiter.acquire();
      grants.push(Date.now());
    },
  }).run();
  return { perSecond: ratePerSecond(grants) };
}

/** The real thing: HubSpot adapter -> outbound client -> emulated HubSpot. */
async function throughMock(opts) {
  const mock = buildMockVendor({
    vendor: 'hubspot',
    token: TOKEN,
    clientSecret: 'bench-outbound-secret-abcdef',
    faults: NO_FAULTS,
    timeScale: 1000,
    settings: { rateLimit: { style: 'sliding', limit: LIMIT, windowMs: WINDOW_MS } },
  });
  const url = await mock.app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const attempts = [];
    const recordingFetch = async (input, init) => {
      const attempt = { sentAt: Date.now(), status: 0 };
      attempts.push(attempt);
      const res = await fetch(input, init);
      attempt.status = res.status;
      return res;
    };
    let retries = 0;
    const limiter = new ClientRateLimiter(VENDOR_PER_SECOND * opts.headroom, opts.burst);
    const api = hubspotApi({
      baseUrl: url,
      token: TOKEN,
      fetch: recordingFetch,
      limiter,
      onCall: (c) => {
        retries += c.retries;
      },
    });
    const started = Date.now();
    const load = await new ArrivalRate({
      iterationsPerSec: opts.multiple * VENDOR_PER_SECOND,
      durationMs: opts.seconds * 1000,
      maxInFlight: 1_000_000,
      iteration: (i) =>
        api
          .batchUpsert('contacts', [{ externalId: `b${i}@bench.io`, fields: { firstname: 'B' } }])
          .then(() => undefined),
    }).run();
    const afterFirstWindow = attempts.filter((a) => a.sentAt > started + WINDOW_MS);
    const throttled = afterFirstWindow.filter((a) => a.status === 429).length;
    return {
      load,
      attempts: attempts.length,
      vendorSaw: mock.truth.apiRequests,
      throttled,
      share429: afterFirstWindow.length === 0 ? 0 : throttled / afterFirstWindow.length,
      retries,
      perSecond: ratePerSecond(attempts.map((a) => a.sentAt)),
    };
  } finally {
    await mock.close();
  }
}

/** Events per second from the first to the last timestamp. */
function ratePerSecond(times) {
  if (times.length < 2) return 0;
  return ((times.length - 1) * 1000) / (times[times.length - 1] - times[0]);
}

const fixed = (n, digits = 3) => n.toFixed(digits);

const opts = options();
const limiterRate = VENDOR_PER_SECOND * opts.headroom;
console.log(
  `vendor limit ${VENDOR_PER_SECOND}/s (${LIMIT} per ${WINDOW_MS} ms, sliding); limiter ${limiterRate}/s, burst ${opts.burst}; ` +
    `offered ${opts.multiple}x the limit for ${opts.seconds} s (${Math.floor(opts.multiple * VENDOR_PER_SECOND * opts.seconds)} writes)`,
);
const base = await baseline(opts);
console.log(
  `baseline, limiter alone:   ${fixed(base.perSecond, 1)} grants/s = ${fixed(base.perSecond / limiterRate)} of its rate`,
);
const run = await throughMock(opts);
console.log(
  `through the HubSpot mock:  ${fixed(run.perSecond, 1)} attempts/s = ${fixed(run.perSecond / limiterRate)} of the limiter's rate, ` +
    `${fixed(run.perSecond / base.perSecond)} of the baseline`,
);
console.log(
  `writes: ${run.load.completed} done, ${run.load.failed} failed, ${run.load.dropped} dropped in ${fixed(run.load.elapsedMs / 1000, 1)} s; ` +
    `attempts ${run.attempts} (the vendor saw ${run.vendorSaw}), retries ${run.retries}`,
);
console.log(
  `429 after the first window: ${run.throttled} = ${fixed(run.share429 * 100, 2)} % of attempts ` +
    `(unpaced, at least ${fixed(Math.max(0, 1 - 1 / opts.multiple) * 100, 0)} % would be)`,
);
console.log(`peak RSS ${fixed(process.resourceUsage().maxRSS / 1024, 0)} MB (this process: client and mock)`);
