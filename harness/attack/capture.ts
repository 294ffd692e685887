import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PocError } from '../errors.js';
import type { CrmApi, WebhookScheme } from '../vendors/types.js';

/** One delivery exactly as the vendor sent it. */
export interface CapturedDelivery {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * Makes the vendor send one real delivery to a throw-away endpoint on loopback and keeps its
 * bytes: forgeries start from what the vendor really puts on the wire, not from our idea of it.
 * The record is created first and changed after subscribing, so the delivery is an update.
 */
export async function captureDelivery(
  api: CrmApi,
  scheme: WebhookScheme,
  change: { externalId: string; field: string; value: string },
  timeoutMs = 15_000,
): Promise<CapturedDelivery> {
  let resolveCapture: (d: CapturedDelivery) => void = () => {};
  const captured = new Promise<CapturedDelivery>((resolve) => {
    resolveCapture = resolve;
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const ack = scheme.acknowledge?.();
      res.writeHead(200, { 'content-type': ack?.contentType ?? 'application/json' }).end(ack?.body ?? '{}');
      resolveCapture({
        url: `http://${req.headers.host}${req.url}`,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    // Last name and first name: several CRMs (Salesforce, Zoho) refuse a contact without them.
    const created = await api.batchUpsert('contacts', [
      {
        externalId: change.externalId,
        fields: { email: change.externalId, firstname: 'Signature', lastname: 'Check' },
      },
    ]);
    if (created.errors > 0) {
      throw new PocError('POC_ERR_VENDOR_HTTP', 'the vendor refused to create the contact the capture needs');
    }
    await api.configureWebhooks(`http://127.0.0.1:${port}/capture`, {
      objectType: 'contacts',
      actions: ['update'],
      fields: [change.field],
    });
    const changed = await api.batchUpsert('contacts', [
      { externalId: change.externalId, fields: { [change.field]: change.value } },
    ]);
    if (changed.errors > 0) {
      throw new PocError(
        'POC_ERR_VENDOR_HTTP',
        `the vendor refused to change ${change.field} on the capture's contact`,
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new PocError(
              'POC_ERR_VENDOR_HTTP',
              `no delivery arrived within ${timeoutMs / 1000} s of a change`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([captured, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}
