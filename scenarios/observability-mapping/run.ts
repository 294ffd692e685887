import { SpanKind } from '@opentelemetry/api';
import type { z } from 'zod';
import type { ResultTable } from '../../harness/runs/findings.js';
import { toFindings } from '../../harness/runs/vocabulary.js';
import type { RunContext, ScenarioResult } from '../../harness/scenario.js';
import { connectApi } from '../../harness/targets/connect.js';
import { writeRecords } from '../../harness/targets/record-writes.js';
import { CORRELATION_FIELD, onEventTraced, tracer } from '../../harness/telemetry/trace-spans.js';
import { startTracing, tracingExports } from '../../harness/telemetry/tracing.js';
import type { CrmApi, RecordInput } from '../../harness/vendors/types.js';
import { waitFor } from '../../harness/wait.js';
import type { observabilityMappingOptions } from './definition.js';
import { OBSERVABILITY_MAPPING_FINDINGS, type ObservabilityMappingFinding } from './findings.js';
import { CorrelationObserver } from './observer.js';

type ObservabilityMappingOptions = z.output<typeof observabilityMappingOptions>;

async function createRecords(ctx: RunContext, api: CrmApi, emails: readonly string[]) {
  const inputs: RecordInput[] = emails.map((email, i) => ({
    externalId: email,
    fields: { email, firstname: 'Trace', lastname: `Mapping ${i}` },
  }));
  await writeRecords(ctx, api, inputs);
}

/**
 * Writes with trace context, receives the events and links each to the write that caused it;
 * lists what the vendor documents about seeing deliveries and changes from its side.
 */
export async function runObservabilityMapping(
  ctx: RunContext,
  opts: ObservabilityMappingOptions,
): Promise<ScenarioResult> {
  const { target, signal } = ctx;
  const profile = target.vendor.profile;
  const notes: string[] = [];
  // Correlation needs real trace ids: without an OTLP endpoint the SDK runs in-process only.
  await startTracing(undefined, true);
  if (!tracingExports()) {
    notes.push(
      'no OTEL_EXPORTER_OTLP_ENDPOINT set: spans were made in-process for correlation, not exported',
    );
  }
  const { api, counters } = connectApi(target, ctx);
  const prefix = `obs-${ctx.runId.slice(-6)}:`;
  const observer = new CorrelationObserver(prefix);
  const unsubscribe = onEventTraced(observer.onTraced);
  ctx.pipeline.events.on('processed', observer.onProcessed);
  try {
    ctx.progress({ phase: 'setup', done: 0, total: 1, detail: 'creating records and subscribing' });
    const emails = Array.from({ length: opts.changes }, (_, i) => `obs-${ctx.runId}-${i}@poc.example`);
    // Created before the subscription, so their creation makes no events to tell apart.
    await createRecords(ctx, api, emails);
    await api.configureWebhooks(ctx.webhookUrl, {
      objectType: 'contacts',
      actions: ['update'],
      fields: [CORRELATION_FIELD],
    });

    // Several writes, each its own trace: a receipt must find the right one, not just any.
    const perWrite = Math.min(profile.batchMax.value, 10);
    let writes = 0;
    let sent = 0;
    for (let start = 0; start < emails.length && !signal.aborted; start += perWrite) {
      const chunk = emails.slice(start, start + perWrite);
      await tracer.startActiveSpan(
        'observability-mapping.write',
        { kind: SpanKind.INTERNAL, attributes: { 'crm.vendor': profile.id, 'poc.run_id': ctx.runId } },
        async (span) => {
          const traceId = span.spanContext().traceId;
          const inputs = chunk.map((email, i) => {
            const token = `${prefix}${start + i}`;
            observer.writeTrace.set(token, traceId);
            return { externalId: email, fields: { [CORRELATION_FIELD]: token } };
          });
          try {
            const result = await api.batchUpsert('contacts', inputs);
            writes++;
            sent += inputs.length - result.errors;
          } finally {
            span.end();
          }
        },
      );
      ctx.progress({
        phase: 'write',
        done: Math.min(start + perWrite, emails.length),
        total: emails.length,
        detail: `received ${observer.received.size} correlated ${observer.correlated.size}`,
      });
    }

    const ticker = setInterval(() => {
      ctx.progress({
        phase: 'receive',
        done: observer.processed.size,
        total: sent,
        detail: `received ${observer.received.size} correlated ${observer.correlated.size} processed ${observer.processed.size}`,
      });
    }, 250);
    try {
      await waitFor(
        () => observer.received.size >= sent && observer.processed.size >= observer.received.size,
        signal.aborted ? Math.min(opts.grace, 2000) : opts.grace,
        signal.aborted ? new AbortController().signal : signal,
      );
    } finally {
      clearInterval(ticker);
    }

    const facts = profile.observability;
    const received = observer.received.size + observer.unattributed;
    const values: Record<ObservabilityMappingFinding, number> = {
      'observability.writes_count': writes,
      'observability.events_sent_count': sent,
      'observability.events_received_count': observer.received.size,
      'observability.events_unattributed_count': observer.unattributed,
      'observability.events_correlated_count': observer.correlated.size,
      'observability.correlated_ratio': received === 0 ? 0 : observer.correlated.size / received,
      'observability.events_processed_count': observer.processed.size,
      'observability.propagates_trace_context': observer.propagated > 0 ? 1 : 0,
      'observability.event_ids_present':
        observer.eventsSeen === 0 ? 0 : observer.eventsWithId / observer.eventsSeen,
      'observability.event_ids_unique': observer.eventsSeen > 0 && observer.collisions === 0 ? 1 : 0,
      'observability.event_id_collisions_count': observer.collisions,
      'observability.vendor_delivery_visibility_level': facts.deliveryLog.value.level,
      'observability.vendor_audit_log_level': facts.auditLog.value.level,
      'api.requests_count': counters.requests,
    };
    const measured = `${target.describe()}; ${sent} changes in ${writes} traced writes, ${received} events received`;
    const documented = `${target.kind === 'mock' ? 'documented for the vendor, not emulated by the mock' : 'documented'}: see the table`;
    const findings = toFindings(OBSERVABILITY_MAPPING_FINDINGS, values, (key) =>
      key.startsWith('observability.vendor_') ? documented : measured,
    );

    if (observer.unattributed > 0) {
      notes.push(
        `${observer.unattributed} events did not carry this run's ${CORRELATION_FIELD} value: the vendor sent no field values, or they were not ours`,
      );
    }
    if (observer.propagated === 0) {
      notes.push(
        'the vendor did not send the traceparent of the write back on its webhooks: receipts were linked to writes through the record field poc wrote',
      );
    }
    const tables: ResultTable[] = [
      {
        title: 'Correlation of vendor events to local traces',
        columns: ['How the receipt found its write', 'Events'],
        rows: [
          ['record field (poc_seq echoed by the vendor)', String(observer.via.get('record_field') ?? 0)],
          ['traceparent header on the delivery', String(observer.via.get('traceparent') ?? 0)],
          ['not found', String(observer.via.get('none') ?? 0)],
        ],
      },
      {
        title: 'Vendor-side delivery visibility and audit logs',
        columns: [
          'Facility',
          'What the vendor documents',
          'Level 0-3',
          'Confidence',
          'Source',
          'On this target',
        ],
        rows: (['deliveryLog', 'auditLog'] as const).map((kind) => {
          const f = facts[kind];
          return [
            kind === 'deliveryLog' ? 'delivery log / metrics' : 'audit log',
            f.value.what,
            String(f.value.level),
            f.confidence,
            f.source,
            target.kind === 'mock' ? 'not emulated by the mock' : 'check in the vendor console',
          ];
        }),
      },
    ];
    return {
      findings,
      notes,
      tables,
      defaultThresholds: [
        // A run that wrote or heard nothing proves nothing: it must not pass.
        { key: 'observability.events_sent_count', op: '>', threshold: 0, source: 'default' },
        { key: 'observability.events_received_count', op: '>', threshold: 0, source: 'default' },
        { key: 'observability.correlated_ratio', op: '>=', threshold: 0.99, source: 'default' },
        { key: 'observability.event_ids_unique', op: '==', threshold: 1, source: 'default' },
      ],
    };
  } finally {
    unsubscribe();
    ctx.pipeline.events.off('processed', observer.onProcessed);
  }
}
