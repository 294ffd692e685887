// The baseline for receiver.bench.js: the least a Node webhook endpoint can do. Fastify with its
// default JSON parser and one POST route that answers 200, no signature, no dedupe, no storage.
// Usage: node bench/bare-fastify.js <port> [host] [path]
import Fastify from 'fastify';
import { parseOptions } from './options.js';

const USAGE = `usage: node bench/bare-fastify.js [port] [host] [path]
  port               port to listen on (default 0: any free port)
  host               address to listen on (default 127.0.0.1)
  path               the POST route (default /webhooks/hubspot)`;
const { positionals } = parseOptions(USAGE, {}, { allowPositionals: true });
const port = Number(positionals[0] ?? 0);
const host = positionals[1] ?? '127.0.0.1';
const path = positionals[2] ?? '/webhooks/hubspot';

// Same body limit as the reference receiver, so 100-event deliveries are accepted by both.
const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
app.post(path, async (_req, reply) => reply.code(200).send({ ok: true }));

const address = await app.listen({ port, host });
// The bench waits for this line before it sends load.
process.stdout.write(`bare fastify listening on ${address}${path}\n`);

const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
