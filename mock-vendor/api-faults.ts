import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { gatedPath } from './api-route.js';
import type { MockInstance } from './emulation.js';
import { activeWindow } from './faults.js';

export type FaultKind = 'unavailable' | 'server_error' | 'rate_limited';

export interface FaultResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** False for vendors that never send Retry-After when throttling (Salesforce). */
  readonly retryAfter?: boolean;
}

const GENERIC: Readonly<Record<FaultKind, FaultResponse>> = {
  unavailable: { status: 503, body: { error: 'service unavailable' } },
  server_error: { status: 500, body: { error: 'internal server error' } },
  rate_limited: { status: 429, body: { error: 'too many requests' } },
};

/**
 * API-side faults for every emulation, checked before the vendor's own auth and limits: an outage
 * or a 429 storm is the vendor being down or throttling everyone, whoever asks. Each emulation may
 * answer in its own error shape through `faultResponse`.
 */
export function registerApiFaults(
  app: FastifyInstance,
  instance: () => MockInstance,
  startedAt: number,
  random: () => number = Math.random,
): void {
  app.addHook('onRequest', async (req, reply) => {
    // The admin API by the route it reaches, however its path is spelled (api-route.ts).
    if (gatedPath(req).startsWith('/__admin/')) return;
    const mock = instance();
    const faults = mock.delivery.faults;
    const elapsed = Date.now() - (faults.epochMs ?? startedAt);
    const send = (kind: FaultKind, retryAfterS?: number) => {
      const r = mock.faultResponse?.(kind) ?? GENERIC[kind];
      void reply.code(r.status).headers({ ...r.headers });
      if (retryAfterS !== undefined && r.retryAfter !== false)
        void reply.header('retry-after', String(retryAfterS));
      return reply.send(r.body);
    };
    if (activeWindow(faults.outages, elapsed)) return send('unavailable');
    const storm = activeWindow(faults.rateLimitStorms, elapsed);
    if (storm) return send('rate_limited', Math.ceil((storm.startMs + storm.durationMs - elapsed) / 1000));
    if (faults.latencyMs && random() < (faults.latencyP ?? 1)) await sleep(faults.latencyMs);
    if (faults.serverError && random() < faults.serverError) return send('server_error');
  });
}
