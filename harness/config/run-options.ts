import { z } from 'zod';
import {
  count,
  duration,
  faultSpecs,
  folder,
  httpUrl,
  listenPort,
  positive,
  share,
  vendorId,
} from './fields.js';
import { runTags } from './tags.js';

/** k6's object form of one threshold, the finding named in `threshold` (a plan file writes it). */
const k6ThresholdObject = z
  .object({
    threshold: z.string().min(1).describe('<finding>: <k6 expression>, e.g. webhook.loss_count: count==0'),
    abortOnFail: z.boolean().optional().describe('stop the run at the first breach'),
    delayAbortEval: z.string().optional().describe('how long into the run before a breach may stop it'),
  })
  .strict();

/**
 * The options every `poc run` takes, whatever the scenario: where the run points, what it may
 * spend, what it writes. A scenario's own options (harness/scenario.ts) are added to these; a
 * scenario may refine one of them (rate-limit-probe's --max-requests has a floor and a default).
 */
export const runOptions = z
  .object({
    vendor: vendorId('vendor id (poc list vendors)'),
    live: z
      .boolean()
      .default(false)
      .describe('use the vendor’s sandbox; credentials come from env (see README)'),
    publicUrl: httpUrl(
      'the public URL of a tunnel to the receiver, e.g. https://my-tunnel.example/webhooks/hubspot',
    )
      .optional()
      .describe('public URL that reaches the receiver (a tunnel), ending in /webhooks/<vendor>')
      .meta({ cli: { placeholder: 'url' } }),
    timeScale: positive()
      .optional()
      .describe('run the vendor’s clock n times faster (retry schedule, simulated outages)')
      .meta({ cli: { only: 'mock' } }),
    faults: faultSpecs().meta({ cli: { flag: 'fault', placeholder: 'spec', only: 'mock' } }),
    thresholds: z
      .array(z.union([z.string(), k6ThresholdObject]))
      .default([])
      .describe(
        'fail (exit 99) unless the expression holds: webhook.latency_p99_ms<250, or k6’s webhook.latency_p99_ms: p(99)<250ms; add ", abortOnFail" to stop the run at the first breach',
      )
      .meta({ cli: { flag: 'threshold', placeholder: 'expr' } }),
    tags: runTags()
      .describe('label every series and the stored run with key=value, e.g. team=integrations')
      .meta({ cli: { flag: 'tag', placeholder: 'key=value' } }),
    maxRequests: count(1)
      .optional()
      .describe('stop sending to the vendor API after n requests (retries count)')
      .meta({ cli: { placeholder: 'n' } }),
    maxQuotaShare: share()
      .optional()
      .describe('spend at most this share of the vendor’s documented daily quota (default 0.2 with --live)')
      .meta({ cli: { placeholder: 'share' } }),
    receiverPort: listenPort(0, 'port of the reference receiver (0 = any free port)'),
    dataDir: folder('.poc', 'where runs are stored'),
    json: z.boolean().default(false).describe('print the result as JSON on stdout'),
    junit: z
      .string()
      .min(1)
      .optional()
      .describe('also write the checks as JUnit XML (a failed threshold is a failed test)')
      .meta({ cli: { placeholder: 'file' } }),
    summaryExport: z
      .string()
      .min(1)
      .optional()
      .describe('also write the run’s summary JSON (what --json prints) to this file, as k6 does')
      .meta({ cli: { placeholder: 'file' } }),
    prometheusRw: httpUrl('the remote-write endpoint, e.g. http://127.0.0.1:9090/api/v1/write')
      // Argv is visible to every process, and so would the credentials be.
      .refine((text) => !hasCredentials(text), {
        error:
          'credentials do not belong in the URL; set POC_PROMETHEUS_RW_USERNAME and POC_PROMETHEUS_RW_PASSWORD, or POC_PROMETHEUS_RW_BEARER_TOKEN',
      })
      .optional()
      .describe('stream the run’s metrics to a Prometheus remote-write endpoint')
      .meta({ cli: { placeholder: 'url', env: 'POC_PROMETHEUS_RW_URL' } }),
    prometheusRwInterval: duration({ min: 100 })
      .default(5000)
      .describe('push interval of --prometheus-rw')
      .meta({ cli: { env: 'POC_PROMETHEUS_RW_PUSH_INTERVAL' } }),
  })
  .strict();

export type RunOptions = z.output<typeof runOptions>;

function hasCredentials(text: string): boolean {
  try {
    const url = new URL(text);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

/** A live vendor cannot post to 127.0.0.1: it needs the public URL of a tunnel to the receiver. */
export function publicUrlProblem(publicUrl: string | undefined, vendor: string): string | undefined {
  const path = `/webhooks/${vendor}`;
  if (publicUrl === undefined)
    return `a live vendor cannot reach 127.0.0.1; give the public URL of a tunnel to the receiver, ending in ${path}`;
  const url = new URL(publicUrl);
  if (url.pathname !== path)
    return `the path must be ${path} (the receiver's webhook path), not ${url.pathname}`;
  return undefined;
}
