import { type IncomingHttpHeaders, request } from 'node:http';
import type { FuzzTarget } from '../fuzz/targets.js';

export interface PostAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** From the request's start to the end of the answer. */
  readonly ms: number;
}

export interface PostOptions {
  /** Send without Content-Length, in chunks. */
  readonly chunked?: boolean;
  /** Send the headers (declaring `body`'s length) and none of the body. */
  readonly withholdBody?: boolean;
}

const CHUNK = 256 * 1024;

/**
 * POSTs `body` byte for byte to `path` as given (no URL resolution) on a connection of its own,
 * writing with backpressure and stopping once an answer arrives: a server that refuses a large
 * body early is seen refusing it, not failing a write it never meant to read.
 */
export function postRaw(
  origin: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  options: PostOptions = {},
): Promise<PostAnswer> {
  const { hostname, port } = new URL(origin);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const all = options.chunked ? headers : { ...headers, 'content-length': String(body.length) };
    const req = request({ host: hostname, port, method: 'POST', path, headers: all, agent: false });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, ms: performance.now() - started });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (options.withholdBody) {
      req.flushHeaders();
      return;
    }
    let at = 0;
    const pump = () => {
      while (!answered && at < body.length) {
        const more = req.write(body.subarray(at, at + CHUNK));
        at += CHUNK;
        if (!more) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** The headers `target`'s vendor sends with `body` to `url`: content type and proof (signature or credential). */
export function vendorHeaders(
  target: FuzzTarget,
  url: string,
  body: Buffer,
  secret = target.secret,
): Record<string, string> {
  const scheme = target.adapter.webhooks({ secrets: [secret] });
  return {
    'content-type': target.contentType,
    ...scheme.sign({ method: 'POST', url, body, timestamp: Date.now() }),
  };
}

/** A counter's value in a Prometheus text exposition, matched by name and label text. */
export function counterValue(exposition: string, name: string, ...labels: string[]): number {
  let total = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`) || !labels.every((l) => line.includes(l))) continue;
    total += Number(line.split(' ').at(-1));
  }
  return total;
}
