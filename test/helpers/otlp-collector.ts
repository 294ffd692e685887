import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import protobuf from 'protobufjs';

/** One span as the collector received it, whichever OTLP/HTTP encoding carried it. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly links: readonly { readonly traceId: string; readonly spanId: string }[];
  readonly serviceName: string;
}

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string | { toNumber(): number };
  doubleValue?: number;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface RawSpan {
  traceId: string | Uint8Array;
  spanId: string | Uint8Array;
  parentSpanId?: string | Uint8Array;
  name: string;
  attributes?: KeyValue[];
  links?: { traceId: string | Uint8Array; spanId: string | Uint8Array }[];
}
interface RawRequest {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: RawSpan[] }[] }[];
}

const PROTO = fileURLToPath(new URL('../fixtures/otlp-trace.proto', import.meta.url));

function hex(id: string | Uint8Array | undefined): string {
  if (id === undefined) return '';
  return typeof id === 'string' ? id : Buffer.from(id).toString('hex');
}

function value(v: AnyValue | undefined): string | number | boolean {
  if (v?.stringValue !== undefined) return v.stringValue;
  if (v?.boolValue !== undefined) return v.boolValue;
  if (v?.doubleValue !== undefined) return v.doubleValue;
  const i = v?.intValue;
  if (typeof i === 'object' && i !== null) return i.toNumber();
  return i === undefined ? '' : Number(i);
}

function attributes(list: KeyValue[] | undefined): Record<string, string | number | boolean> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));
}

function flatten(request: RawRequest): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const serviceName = String(attributes(rs.resource?.attributes)['service.name'] ?? '');
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          name: s.name,
          attributes: attributes(s.attributes),
          links: (s.links ?? []).map((l) => ({ traceId: hex(l.traceId), spanId: hex(l.spanId) })),
          serviceName,
        });
      }
    }
  }
  return out;
}

/**
 * A real OTLP/HTTP traces endpoint on 127.0.0.1: accepts POST /v1/traces in JSON and in
 * protobuf, keeps every span and the raw bodies (to search them for secrets).
 */
export async function startOtlpCollector(port = 0) {
  const root = await protobuf.load(PROTO);
  const requestType = root.lookupType('otlp.ExportTraceServiceRequest');
  const spans: ReceivedSpan[] = [];
  const bodies: Buffer[] = [];
  const contentTypes: string[] = [];
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/v1/traces', async (req, reply) => {
    const body = req.body as Buffer;
    const type = String(req.headers['content-type'] ?? '');
    bodies.push(body);
    contentTypes.push(type);
    const decoded = type.includes('json')
      ? (JSON.parse(body.toString('utf8')) as RawRequest)
      : (requestType.decode(body) as unknown as RawRequest);
    spans.push(...flatten(decoded));
    return type.includes('json')
      ? reply.send({})
      : reply.type('application/x-protobuf').send(Buffer.alloc(0));
  });
  const address = await app.listen({ port, host: '127.0.0.1' });
  return {
    address,
    spans,
    bodies,
    contentTypes,
    close: () => app.close(),
  };
}
