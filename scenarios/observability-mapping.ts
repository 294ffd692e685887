import { SpanKind } from '@opentelemetry/api';
import { z } from 'zod';
import type { Finding, ResultTable } from '../harness/runs/findings.js';
import {
  CORRELATION_FIELD,
  type EventTrace,
  onEventTraced,
  tracer,
} from '../harness/telemetry/trace-spans.js';
import { startTracing, tracingExports } from '../harness/telemetry/tracing.js';
import { connectApi } from '../harness/vendors/connect.js';
import type { Confidence, CrmApi, RecordInput, VendorEvent } from '../harness/vendors/types.js';
import type { RunContext, Scenario, ScenarioResult } from './types.js';
import { waitFor, writeRecords } from './vendor-writes.js';

export const observabilityMappingOptions = z.object({
  changes: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(100)
    .describe('records changed through the API, one vendor event each'),
  graceMs: z.number().int().nonnegative().default(30_000).describe('how long to wait for the events'),
});
export type ObservabilityMappingOptions = z.infer<typeof observabilityMappingOptions>;

const FINDING_UNITS = {
  'observability.writes_count': 'requests',
  'observability.events_sent_count': 'events',
  'observability.events_received_count': 'events',
  'observability.events_unattributed_count': 'events',
  'observability.events_correlated_count': 'events',
  'observability.correlated_ratio': 'ratio',
  'observability.events_processed_count': 'events',
  'observability.propagates_trace_context': 'bool',
  'observability.event_ids_present': 'ratio',
  'observability.event_ids_unique': 'bool',
  'observability.event_id_collisions_count': 'events',
  'observability.vendor_delivery_visibility_level': 'level',
  'observability.vendor_audit_log_level': 'level',
  'api.requests_count': 'requests',
} as const;
type FindingKey = keyof typeof FINDING_UNITS;

/** One documented vendor-side facility, scored on the scorecard's 0..3 guide (scorecards/catalog.yaml). */
interface Facility {
  readonly what: string;
  readonly level: 0 | 1 | 2 | 3;
  readonly source: string;
  readonly confidence: Confidence;
}

interface VendorObservability {
  readonly delivery: Facility;
  readonly audit: Facility;
}

/**
 * What each vendor documents about seeing its deliveries and changes from its side. Data, not
 * measurement: the mock emulates none of it, and a live run can only point at the console.
 * None of them documents W3C trace context on webhooks; that one is measured.
 */
const VENDOR_OBSERVABILITY: Readonly<Record<string, VendorObservability>> = {
  hubspot: {
    delivery: {
      what: 'app Monitoring > Webhooks: every delivery with response, status (success, will retry, failed), filters; UI only',
      level: 2,
      source: 'https://developers.hubspot.com/docs/methods/check-daily-api-usage',
      confidence: 'verified',
    },
    audit: {
      what: 'account audit log (Enterprise) in Settings > Security; an account-activity API is reported',
      level: 2,
      source: 'https://developers.hubspot.com/docs/api/settings/account-activity-api',
      confidence: 'unverified',
    },
  },
  salesforce: {
    delivery: {
      what: 'Setup > Outbound Messages > View Message Delivery Status: queued and failing messages, retry or delete; UI only',
      level: 2,
      source:
        'https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_setting_up.htm',
      confidence: 'secondary',
    },
    audit: {
      what: 'Setup Audit Trail (180 days, SetupAuditTrail object over SOQL); API activity in Event Monitoring (paid add-on)',
      level: 3,
      source: 'https://help.salesforce.com/s/articleView?id=sf.admin_monitorsetup.htm',
      confidence: 'secondary',
    },
  },
  pipedrive: {
    delivery: {
      what: 'no delivery log documented; the payload carries a retry counter only',
      level: 0,
      source: 'shared/vendors.md §3.5 (https://pipedrive.readme.io/docs/guide-for-webhooks-v2)',
      confidence: 'unverified',
    },
    audit: {
      what: 'security and activity logs on higher plans, in the UI',
      level: 1,
      source: 'https://support.pipedrive.com/en/article/security-dashboard',
      confidence: 'unverified',
    },
  },
  zoho: {
    delivery: {
      what: 'no delivery log documented for notification channels',
      level: 0,
      source:
        'shared/vendors.md §4.5 (https://www.zoho.com/crm/developer/docs/api/v8/notifications/overview.html)',
      confidence: 'unverified',
    },
    audit: {
      what: 'Setup > Audit Log of user and admin actions, export in the UI',
      level: 2,
      source: 'https://help.zoho.com/portal/en/kb/crm/data-administration/audit-log',
      confidence: 'unverified',
    },
  },
  dynamics: {
    delivery: {
      what: 'asynchronous webhook steps run as System Jobs (asyncoperations) with status and error, readable over the Web API',
      level: 2,
      source: 'https://learn.microsoft.com/power-apps/developer/data-platform/use-webhooks',
      confidence: 'secondary',
    },
    audit: {
      what: 'Dataverse auditing: the audits entity set over the Web API, retention set per environment',
      level: 3,
      source: 'https://learn.microsoft.com/power-apps/developer/data-platform/auditing/overview',
      confidence: 'secondary',
    },
  },
  standard: {
    delivery: {
      what: 'the Standard Webhooks spec defines none; any log depends on the sending platform',
      level: 0,
      source: 'https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md',
      confidence: 'verified',
    },
    audit: {
      what: 'none in the spec',
      level: 0,
      source: 'https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md',
      confidence: 'verified',
    },
  },
};

const NOT_DOCUMENTED: VendorObservability = {
  delivery: { what: 'not documented in poc', level: 0, source: '-', confidence: 'unverified' },
  audit: { what: 'not documented in poc', level: 0, source: '-', confidence: 'unverified' },
};

/** What came back, per change token, from the receiver's traces and the processor. */
class CorrelationObserver {
  /** token -> the trace its write ran in. */
  readonly writeTrace = new Map<string, string>();
  readonly received = new Set<string>();
  readonly correlated = new Set<string>();
  readonly processed = new Set<string>();
  readonly via = new Map<string, number>();
  /** event identity -> the first token seen with it. */
  private readonly keyOwner = new Map<string, string>();
  collisions = 0;
  unattributed = 0;
  eventsSeen = 0;
  eventsWithId = 0;
  propagated = 0;

  constructor(private readonly prefix: string) {}

  private token(event: VendorEvent): string | undefined {
    const value = event.fields[CORRELATION_FIELD];
    return value?.startsWith(this.prefix) ? value : undefined;
  }

  onTraced = (t: EventTrace): void => {
    const token = this.token(t.event);
    if (token === undefined) {
      if (!t.duplicate) this.unattributed++;
      return;
    }
    const expected = this.writeTrace.get(token);
    if (expected === undefined) return;
    this.eventsSeen++;
    if (t.event.key.length > 0) this.eventsWithId++;
    const owner = this.keyOwner.get(t.event.key);
    if (owner === undefined) this.keyOwner.set(t.event.key, token);
    else if (owner !== token) this.collisions++;
    if (t.propagated?.traceId === expected) this.propagated++;
    if (t.duplicate) return;
    this.received.add(token);
    this.via.set(t.via, (this.via.get(t.via) ?? 0) + 1);
    if (t.writeTraceId === expected) this.correlated.add(token);
  };

  onProcessed = (batch: { applied: readonly VendorEvent[] }): void => {
    for (const e of batch.applied) {
      const token = this.token(e);
      if (token !== undefined) this.processed.add(token);
    }
  };
}

async function createRecords(ctx: RunContext, api: CrmApi, emails: readonly string[]) {
  const inputs: RecordInput[] = emails.map((email, i) => ({
    externalId: email,
    fields: { email, firstname: 'Trace', lastname: `Mapping ${i}` },
  }));
  await writeRecords(ctx, api, inputs);
}

export const observabilityMapping: Scenario<ObservabilityMappingOptions> = {
  id: 'observability-mapping',
  summary:
    'Write with trace context, receive the events; report correlation to local traces, trace-context propagation, event ids, vendor-side logs.',
  receivesWebhooks: true,
  findingKeys: Object.keys(FINDING_UNITS),
  options: observabilityMappingOptions,

  async run(ctx: RunContext, opts: ObservabilityMappingOptions): Promise<ScenarioResult> {
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
          signal.aborted ? Math.min(opts.graceMs, 2000) : opts.graceMs,
          signal.aborted ? new AbortController().signal : signal,
        );
      } finally {
        clearInterval(ticker);
      }

      const facts = VENDOR_OBSERVABILITY[profile.id] ?? NOT_DOCUMENTED;
      const received = observer.received.size + observer.unattributed;
      const values: Record<FindingKey, number> = {
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
        'observability.vendor_delivery_visibility_level': facts.delivery.level,
        'observability.vendor_audit_log_level': facts.audit.level,
        'api.requests_count': counters.requests,
      };
      const measured = `${target.describe()}; ${sent} changes in ${writes} traced writes, ${received} events received`;
      const documented = `${target.kind === 'mock' ? 'documented for the vendor, not emulated by the mock' : 'documented'}: see the table`;
      const findings: Finding[] = Object.entries(values).map(([key, value]) => ({
        key,
        value: Number.isFinite(value) ? value : 0,
        unit: FINDING_UNITS[key as FindingKey],
        evidence: key.startsWith('observability.vendor_') ? documented : measured,
      }));

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
          rows: (['delivery', 'audit'] as const).map((kind) => {
            const f = facts[kind];
            return [
              kind === 'delivery' ? 'delivery log / metrics' : 'audit log',
              f.what,
              String(f.level),
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
  },
};
