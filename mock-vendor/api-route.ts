import type { FastifyRequest } from 'fastify';

/**
 * The path an API gate (auth, scopes, limits) judges a request by: the pattern of the route the
 * router matched (`/crm/v3/objects/:objectType`), never the raw URL. The router percent-decodes
 * the path before it matches, so `/%63rm/v3/...` runs the `/crm/v3/...` handler while its raw URL
 * starts with something else; a gate reading the raw URL let such requests through untouched.
 *
 * When no route matched, the path decoded once stands in, so an unknown path under an API's prefix
 * is refused for a bad token (401) before it is answered 404. No handler runs for such a request:
 * a difference between this decoding and the router's can only change which refusal is sent.
 */
export function gatedPath(req: FastifyRequest): string {
  return req.routeOptions.url ?? unroutedPath(req);
}

/** Whether the router matched a route (its handler will run once the hooks let the request by). */
export function isRouted(req: FastifyRequest): boolean {
  return req.routeOptions.url !== undefined;
}

/** The path of a request, without its query or fragment, percent-decoded once where it can be. */
function unroutedPath(req: FastifyRequest): string {
  const raw = req.url.split(/[?#]/, 1)[0] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** A route parameter as the router decoded it; undefined when the route has none by that name. */
export function routeParam(req: FastifyRequest, name: string): string | undefined {
  const value = (req.params as Readonly<Record<string, unknown>> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}
