import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hubspot } from '../../harness/vendors/hubspot/index.js';
import type { VendorEvent } from '../../harness/vendors/types.js';
import type { CanonicalInput } from '../../mock-vendor/emulation.js';

/** Changes made inside the mock vendor at `at` (epoch ms, may be in the past), in batches. */
export async function firehose(url: string, inputs: readonly CanonicalInput[], at?: number): Promise<void> {
  for (let i = 0; i < inputs.length; i += 2000) {
    const res = await fetch(`${url}/__admin/firehose`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ objectType: 'contacts', inputs: inputs.slice(i, i + 2000), at }),
    });
    if (res.status !== 200) throw new Error(`firehose answered ${res.status}: ${await res.text()}`);
  }
}

/**
 * A webhook target on 127.0.0.1:0 that verifies each HubSpot delivery with the adapter's own
 * scheme and keeps the parsed events; a delivery that fails verification fails the test.
 */
export async function captureHubspotEvents(secret: string) {
  const scheme = hubspot.webhooks({ secrets: [secret] });
  const events: VendorEvent[] = [];
  const raw: unknown[] = [];
  const rejected: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const verdict = scheme.verify(
        {
          method: req.method ?? 'POST',
          url: `http://${req.headers.host}${req.url}`,
          headers: req.headers,
          body,
        },
        Date.now(),
      );
      if (!verdict.ok) rejected.push(verdict.reason);
      else {
        raw.push(...(JSON.parse(body.toString()) as unknown[]));
        events.push(...scheme.parse(body));
      }
      res.writeHead(verdict.ok ? 200 : 401).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    events,
    raw,
    rejected,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
