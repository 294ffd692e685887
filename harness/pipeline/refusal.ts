import type { FastifyReply } from 'fastify';
import type { PipelineMetrics } from '../telemetry/metrics.js';

/** How the receiver turns a request down. */
export interface Refusal {
  readonly status: number;
  /** The `reason` label on poc_webhook_receiver_requests_total: a fixed code, never from the request. */
  readonly reason: string;
  /** The body's `error`: what kind of refusal. */
  readonly error: string;
  /** The body's `reason` when it says more than the label: what is wrong, and the fix. */
  readonly detail?: string;
}

/** Counts a refusal and answers it the way every refusal is answered: JSON `{error, reason}`. */
export function refuse(reply: FastifyReply, metrics: PipelineMetrics, refusal: Refusal): FastifyReply {
  metrics.requests.inc({ status: String(refusal.status), reason: refusal.reason });
  return reply.code(refusal.status).send({ error: refusal.error, reason: refusal.detail ?? refusal.reason });
}

/**
 * The refusal for an error raised before or instead of the handler's own answer: Fastify's while
 * reading the body (over the limit, shorter than its Content-Length), or anything a handler threw.
 */
export function refusalForError(err: unknown, bodyLimit: number): Refusal {
  const { code, statusCode } = (err ?? {}) as { code?: unknown; statusCode?: unknown };
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      reason: 'body_too_large',
      error: 'payload too large',
      detail: `the body is over ${bodyLimit} bytes`,
    };
  }
  if (code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return {
      status: 400,
      reason: 'bad_content_length',
      error: 'bad request',
      detail: 'the body length does not match Content-Length',
    };
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      status: statusCode,
      reason: 'bad_request',
      error: 'bad request',
      detail: 'the request could not be read',
    };
  }
  // Nothing about the failure goes back to the sender: it may hold internals.
  return { status: 500, reason: 'internal', error: 'internal error' };
}
