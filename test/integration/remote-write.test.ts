import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeWriteRequest, startRemoteWrite } from '../../harness/telemetry/remote-write.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly values: number[];
}

/** A remote-write receiver on loopback that answers with the scripted statuses, then 204. */
async function receiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = decodeWriteRequest(new Uint8Array(Buffer.concat(chunks)));
      const sent = request.timeseries.find((s) => s.labels.some((l) => l.value === 'sent_total'));
      received.push({ headers: req.headers, values: sent?.samples.map((s) => s.value) ?? [] });
      res.statusCode = statuses.shift() ?? 204;
      res.end(res.statusCode >= 400 ? 'out of capacity' : '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/v1/write`, received, close: () => server.close() };
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'warn' }, stream), lines };
}

describe('startRemoteWrite against a real HTTP receiver', () => {
  const closers: (() => void)[] = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
  });

  it('pushes at start, every interval and once more at stop, with the remote-write headers', async () => {
    const server = await receiver();
    closers.push(server.close);
    const registry = new Registry();
    const sent = new Counter({ name: 'sent_total', help: 'h', registers: [registry] });
    const { log } = capturingLogger();
    const rw = startRemoteWrite(registry, {
      url: server.url,
      intervalMs: 100,
      log,
      headers: { authorization: 'Bearer t0ken' },
    });
    await new Promise((r) => setTimeout(r, 250));
    sent.inc(7);
    await rw.stop();

    expect(server.received.length).toBeGreaterThanOrEqual(3);
    expect(server.received[0]?.values).toEqual([0]);
    // The final flush carries what was counted after the last tick.
    expect(server.received.at(-1)?.values).toEqual([7]);
    expect(server.received[0]?.headers).toMatchObject({
      'content-encoding': 'snappy',
      'content-type': 'application/x-protobuf',
      'x-prometheus-remote-write-version': '0.1.0',
      authorization: 'Bearer t0ken',
    });
    expect(rw.stats()).toMatchObject({ pushes: server.received.length, failures: 0 });
  });

  it('retries the final flush on 5xx, logs each kind of failure once and counts them all', async () => {
    const server = await receiver([503, 503, 503]);
    closers.push(server.close);
    const registry = new Registry();
    new Counter({ name: 'sent_total', help: 'h', registers: [registry] }).inc(2);
    const { log, lines } = capturingLogger();
    const rw = startRemoteWrite(registry, {
      url: server.url,
      intervalMs: 60_000,
      log,
      headers: { authorization: 'Bearer t0ken' },
    });
    await rw.stop();

    // start push (503), final flush 503, 503, then 204 on its third try.
    expect(server.received).toHaveLength(4);
    expect(rw.stats()).toMatchObject({ pushes: 1, failures: 3 });
    const failed = lines.filter((l) => String(l.msg).includes('push failed'));
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toBe('HTTP 503: out of capacity');
    expect(JSON.stringify(lines)).not.toContain('t0ken');
  });
});
