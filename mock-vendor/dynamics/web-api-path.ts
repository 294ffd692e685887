import type { FastifyRequest } from 'fastify';
import { DATAVERSE_API_PATH } from '../../harness/vendors/dynamics/profile.js';

/** The Web API's service root path, `/api/data/v9.2/`: everything under it needs a token. */
export const WEB_API_PREFIX = `${DATAVERSE_API_PATH}/`;

/**
 * The resource part of a Web API request as it was sent, still percent-encoded: what follows the
 * service root (`contacts(emailaddress1='a%40b.c')`). Only for a request the router matched to
 * the Web API's wildcard route: it matched the decoded path, and decoding keeps `%2F` encoded, so
 * the service root is the first four segments of the raw path however they were spelled
 * (`/%61pi/data/v9%2E2/`). Slicing the raw URL by the prefix's length read a spelled-out prefix
 * wrong; the resource path's own parser decodes what this returns once (odata.ts).
 */
export function rawResource(req: FastifyRequest): string {
  const path = req.url.split(/[?#]/, 1)[0] ?? '';
  let at = 0;
  for (let segment = 0; segment < 4; segment++) at = path.indexOf('/', at) + 1;
  return path.slice(at);
}
