import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PipelineMetrics } from '../telemetry/metrics.js';
import { acceptsContentType } from './content-type.js';
import { type Refusal, refuse } from './refusal.js';

export interface DeliveryGuardOptions {
  /** The route's path, the one spelling deliveries may use. */
  readonly path: string;
  /** The media types the vendor sends (WebhookScheme.contentTypes). */
  readonly contentTypes: readonly string[];
  readonly vendor: string;
  readonly bodyLimit: number;
  readonly metrics: PipelineMetrics;
}

/**
 * The checks a delivery meets before its body is read (a Fastify onRequest hook): the vendor's
 * content type (415 otherwise), counted and answered `{error, reason}` like every refusal.
 */
export function guardDelivery(options: DeliveryGuardOptions) {
  const { contentTypes, metrics, bodyLimit } = options;
  const wrongType: Refusal = {
    status: 415,
    reason: 'unsupported_media_type',
    error: 'unsupported media type',
    detail: `${options.vendor} deliveries are ${contentTypes.join(' or ')}, in UTF-8`,
  };
  // The body is left unread. Node drains a declared body within the limit before the next
  // request on the connection; one of unknown (chunked) or excessive length is not worth it.
  const refuseUnread = (req: FastifyRequest, reply: FastifyReply, refusal: Refusal) => {
    if (!(Number(req.headers['content-length']) <= bodyLimit)) reply.header('connection', 'close');
    return refuse(reply, metrics, refusal);
  };
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!acceptsContentType(req.headers['content-type'], contentTypes))
      return refuseUnread(req, reply, wrongType);
  };
}
