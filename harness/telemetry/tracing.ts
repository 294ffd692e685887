import { PocError } from '../errors.js';
import { resetCorrelation, setTracingOn } from './trace-spans.js';

/**
 * OpenTelemetry SDK set-up for `poc run` and `poc receiver`, from the standard OTEL_* variables.
 * Without them nothing here is imported: the spans in trace-spans.ts stay behind the API's
 * no-op tracer and `tracingOn` stays false.
 */

type Env = Readonly<Record<string, string | undefined>>;

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TracingConfig {
  /** Where spans go: an OTLP/HTTP exporter, or nowhere (spans are made for in-process use only). */
  readonly export: false | { readonly protocol: OtlpProtocol };
}

function set(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * What the environment asks for, validated once. Export is on when OTEL_TRACES_EXPORTER says
 * otlp, or when it is unset and an OTLP endpoint is given; off with OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none. Unlike the SDK's own default (otlp to localhost:4318), a bare
 * environment exports nothing: a CLI run must not post spans to whatever listens there.
 */
export function tracingConfigFromEnv(env: Env): TracingConfig | undefined {
  if (set(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;
  const exporters = set(env, 'OTEL_TRACES_EXPORTER')
    ?.split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
  const endpoint = set(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? set(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (exporters?.includes('none')) return undefined;
  const unsupported = exporters?.filter((e) => e !== 'otlp') ?? [];
  if (unsupported.length > 0) {
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `OTEL_TRACES_EXPORTER: "${unsupported.join(',')}" is not supported; use otlp (OTLP/HTTP) or none`,
    );
  }
  if (exporters === undefined && endpoint === undefined) return undefined;
  const protocol =
    set(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ??
    set(env, 'OTEL_EXPORTER_OTLP_PROTOCOL') ??
    'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    const name = set(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL')
      ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
      : 'OTEL_EXPORTER_OTLP_PROTOCOL';
    throw new PocError(
      'POC_ERR_BAD_OPTION',
      `${name}: "${protocol}" is not supported; poc exports OTLP over HTTP: http/protobuf or http/json`,
    );
  }
  return { export: { protocol } };
}

interface Running {
  readonly exporting: boolean;
  shutdown(): Promise<void>;
}

let running: Running | undefined;

/** Whether spans leave the process (an OTLP endpoint is configured). */
export function tracingExports(): boolean {
  return running?.exporting ?? false;
}

/**
 * Registers the SDK when `config` asks for export, or in-process only when `local` (the
 * observability-mapping scenario needs real trace ids even with nothing to export to).
 * Idempotent: a second call keeps the first set-up.
 */
export async function startTracing(config: TracingConfig | undefined, local = false): Promise<boolean> {
  if (running) return true;
  if (!config && !local) return false;
  const [api, { AsyncLocalStorageContextManager }, core, resources, sdk] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  const processors = [];
  if (config?.export) {
    // The exporters read OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS, _TIMEOUT themselves.
    const { OTLPTraceExporter } =
      config.export.protocol === 'http/json'
        ? await import('@opentelemetry/exporter-trace-otlp-http')
        : await import('@opentelemetry/exporter-trace-otlp-proto');
    // Batched: spans are serialised and sent off the request path.
    processors.push(new sdk.BatchSpanProcessor(new OTLPTraceExporter()));
  }
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': 'poc', 'service.version': '0.1.0' }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the defaults above.
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new sdk.BasicTracerProvider({ resource, spanProcessors: processors });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  api.context.setGlobalContextManager(contextManager);
  api.propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(provider);
  setTracingOn(true);
  running = {
    exporting: processors.length > 0,
    async shutdown() {
      setTracingOn(false);
      try {
        // Flushes what the batch processor still holds, within the exporter's own timeout.
        await provider.shutdown();
      } finally {
        api.trace.disable();
        api.propagation.disable();
        api.context.disable();
        resetCorrelation();
      }
    },
  };
  return true;
}

/** Flushes and stops the SDK, if one was started; safe to call more than once. */
export async function shutdownTracing(): Promise<void> {
  const current = running;
  running = undefined;
  await current?.shutdown();
}
