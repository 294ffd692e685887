import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricLabels {
  readonly run_id: string;
  readonly vendor: string;
  readonly scenario: string;
  readonly target: string;
}

// Seconds buckets from 1 ms to 2 min: webhook latency spans sub-millisecond loopback to retries.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * The pipeline's Prometheus metrics, named as engineers expect (`_total`, `_seconds`), every
 * series labelled with the run, vendor, scenario and target. Every name starts with `poc_`: runs
 * land in a team's shared Prometheus, next to their own receiver's `webhook_*` series. Node's
 * default metrics are not collected (a run's registry is about the run, not the CLI process).
 */
export function createPipelineMetrics(labels: MetricLabels) {
  const registry = new Registry();
  registry.setDefaultLabels({ ...labels });
  const requests = new Counter({
    name: 'poc_webhook_receiver_requests_total',
    help: 'Webhook requests received, by HTTP status and rejection reason.',
    labelNames: ['status', 'reason'],
    registers: [registry],
  });
  const events = new Counter({
    name: 'poc_webhook_receiver_events_total',
    help: 'Events accepted into the durable queue (first receipt only).',
    registers: [registry],
  });
  const duplicates = new Counter({
    name: 'poc_webhook_receiver_duplicates_total',
    help: 'Events received again after their first receipt (dropped by dedupe).',
    registers: [registry],
  });
  const retries = new Counter({
    name: 'poc_webhook_vendor_retries_total',
    help: 'Events that arrived on a vendor retry (attempt number above 0).',
    registers: [registry],
  });
  const applied = new Counter({
    name: 'poc_webhook_events_applied_total',
    help: 'Events applied to the local store.',
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'poc_webhook_dead_letters_total',
    help: 'Events moved to the dead-letter table.',
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: 'poc_webhook_queue_depth',
    help: 'Rows waiting in the durable queue.',
    registers: [registry],
  });
  const processingLatency = new Histogram({
    name: 'poc_webhook_processing_latency_seconds',
    help: 'From receipt of an event to its application in the local store.',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const deliveryLatency = new Histogram({
    name: 'poc_webhook_delivery_latency_seconds',
    help: 'From the vendor’s occurredAt to receipt (includes vendor queueing and retries).',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const apiCalls = new Counter({
    name: 'poc_vendor_api_requests_total',
    help: 'Calls to the vendor API, by operation and final HTTP status.',
    labelNames: ['operation', 'status'],
    registers: [registry],
  });
  const apiRetries = new Counter({
    name: 'poc_vendor_api_retries_total',
    help: 'Retries spent on vendor API calls (a call resolved by a retry is not an outage).',
    labelNames: ['operation'],
    registers: [registry],
  });
  // Set once when the scenario ends: the run's verdict as series, so Grafana can set runs side by
  // side on the figures `poc show` prints (values as the findings carry them, unit in a label).
  const findings = new Gauge({
    name: 'poc_run_finding',
    help: 'A finding of the run at its end, as `poc show` prints it (unit label: its unit).',
    labelNames: ['finding', 'unit'],
    registers: [registry],
  });
  const checks = new Gauge({
    name: 'poc_run_check_passed',
    help: 'A check of the run at its end: 1 passed, 0 failed.',
    labelNames: ['check'],
    registers: [registry],
  });
  return {
    registry,
    requests,
    events,
    duplicates,
    retries,
    applied,
    deadLetters,
    queueDepth,
    processingLatency,
    deliveryLatency,
    apiCalls,
    apiRetries,
    findings,
    checks,
  };
}

export type PipelineMetrics = ReturnType<typeof createPipelineMetrics>;
