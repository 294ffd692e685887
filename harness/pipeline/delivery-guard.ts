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
 * The answer to a path that is not the delivery path, whether or not the router folds it into
 * the route: from outside the two look alike (`reason` labels them apart in the metrics).
 */
export function notFound(path: string, reason: 'non_canonical_path' | 'no_route'): Refusal {
  return { status: 404, reason, error: 'not found', detail: `deliveries go to ${path}, spelled exactly so` };
}

/**
 * The checks a delivery meets before its body is read (a Fastify onRequest hook): the exact
 * path (404 otherwise) and the vendor's content type (415 otherwise), both counted and answered
 * `{error, reason}` like every refusal.
 *
 * One spelling of the path. The router folds other spellings into the route (percent-encoded
 * letters, /webhooks/%68ubspot; a fragment), while HubSpot's v3 signature covers the URI as sent,
 * decoding only the escapes on its own list. Verifying the raw URI already keeps a delivery
 * signed for one spelling from verifying on another; answering 404 to every other spelling,
 * however it is signed, goes further: what is signed, what is routed and what the vendor's
 * delivery log shows are one string, and a vendor pointed at an encoded spelling fails on every
 * delivery, plainly, instead of passing or not as each hop re-encodes the URI. The query is free:
 * the route ignores it, HubSpot signs it, Dataverse may carry its key in it.
 */
export function guardDelivery(options: DeliveryGuardOptions) {
  const { path, contentTypes, metrics, bodyLimit } = options;
  const isExactPath = (url: string) =>
    url === path || (url.startsWith(path) && url.charCodeAt(path.length) === 0x3f);
  const wrongPath = notFound(path, 'non_canonical_path');
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
    if (!isExactPath(req.url)) return refuseUnread(req, reply, wrongPath);
    if (!acceptsContentType(req.headers['content-type'], contentTypes))
      return refuseUnread(req, reply, wrongType);
  };
}
