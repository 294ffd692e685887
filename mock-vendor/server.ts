import Fastify, { type FastifyInstance } from 'fastify';
import { PocError } from '../harness/errors.js';
import { registerAdminRoutes } from './admin.js';
import { registerApiFaults } from './api-faults.js';
import type { MockInstance } from './emulation.js';
import { EMULATIONS } from './emulations.js';
import type { DeliveryFaults } from './faults.js';
import { GroundTruth } from './truth.js';

export interface MockVendorOptions {
  readonly vendor: string;
  readonly token: string;
  /** The webhook secret (HubSpot: the app's client secret used to sign). */
  readonly clientSecret: string;
  readonly faults: DeliveryFaults;
  readonly timeScale: number;
  readonly settings?: Readonly<Record<string, unknown>>;
}

export interface MockVendor {
  readonly app: FastifyInstance;
  readonly truth: GroundTruth;
  close(): Promise<void>;
}

/** Builds the emulated vendor as a Fastify app; the caller decides where it listens. */
export function buildMockVendor(options: MockVendorOptions): MockVendor {
  const emulation = EMULATIONS[options.vendor];
  if (!emulation) {
    throw new PocError(
      'POC_ERR_NOT_SUPPORTED',
      `--vendor: no emulation of "${options.vendor}" yet; known: ${Object.keys(EMULATIONS).join(', ')}`,
    );
  }
  const truth = new GroundTruth();
  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: 50 * 1024 * 1024,
    // A URL Fastify cannot decode never reaches a route; answer it through the emulation's error
    // handler so it gets the vendor's error body, not Fastify's own.
    frameworkErrors: (err, req, reply) => app.errorHandler(err, req, reply),
  });
  // Registered before the emulation's own hooks so that faults pre-empt auth and limits.
  registerApiFaults(app, () => instance, Date.now());
  const instance: MockInstance = emulation.create(app, {
    token: options.token,
    webhookSecret: options.clientSecret,
    faults: options.faults,
    timeScale: options.timeScale,
    truth,
    settings: options.settings ?? {},
  });
  registerAdminRoutes(app, instance, truth, emulation.id);
  return {
    app,
    truth,
    async close() {
      instance.delivery.stop();
      await app.close();
    },
  };
}
