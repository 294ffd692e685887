import Fastify, { type FastifyInstance } from 'fastify';
import { registerAdminRoutes } from './admin.js';
import type { DeliveryFaults } from './faults.js';
import { HubspotMock } from './hubspot/mock.js';
import { registerHubspotRoutes } from './hubspot/routes.js';
import { defaultHubspotSettings, type HubspotMockSettings } from './profiles/hubspot.js';
import { GroundTruth } from './truth.js';

export interface MockVendorOptions {
  readonly vendor: string;
  readonly token: string;
  readonly clientSecret: string;
  readonly faults: DeliveryFaults;
  readonly timeScale: number;
  readonly settings?: Partial<HubspotMockSettings>;
}

export interface MockVendor {
  readonly app: FastifyInstance;
  readonly truth: GroundTruth;
  close(): Promise<void>;
}

/** Builds the emulated vendor as a Fastify app; the caller decides where it listens. */
export function buildMockVendor(options: MockVendorOptions): MockVendor {
  if (options.vendor !== 'hubspot') throw new Error(`mock profile for ${options.vendor} is not available`);
  const truth = new GroundTruth();
  const settings = { ...defaultHubspotSettings(), ...options.settings };
  const mock = new HubspotMock(
    settings,
    { token: options.token, clientSecret: options.clientSecret },
    options.faults,
    options.timeScale,
    truth,
  );
  const app = Fastify({ logger: false, bodyLimit: 50 * 1024 * 1024 });
  registerHubspotRoutes(app, mock);
  registerAdminRoutes(app, mock);
  return {
    app,
    truth,
    async close() {
      mock.engine.stop();
      await app.close();
    },
  };
}
