import type { FastifyInstance } from 'fastify';
import type { CanonicalInput, MockInstance } from './emulation.js';
import { type DeliveryFaults, parseFaults } from './faults.js';
import { seedContacts } from './seed.js';
import type { GroundTruth } from './truth.js';

/**
 * The mock's admin API, under /__admin, the same for every emulation. Faults and the
 * firehose are for scenarios (through the mock target); /__admin/truth is ground truth and only
 * tests may read it.
 */
export function registerAdminRoutes(
  app: FastifyInstance,
  mock: MockInstance,
  truth: GroundTruth,
  vendor: string,
): void {
  app.get('/__admin/health', async () => ({ ok: true, vendor }));

  app.get('/__admin/truth', async () => ({ ...truth.toJSON(), pending: mock.delivery.pending }));

  app.get('/__admin/faults', async () => mock.delivery.faults);

  app.put<{ Body: Partial<DeliveryFaults> & { spec?: string[] } }>('/__admin/faults', async (req, reply) => {
    try {
      const body = req.body ?? {};
      const base = { ...mock.delivery.faults, ...pickFaults(body) };
      mock.delivery.faults = parseFaults(body.spec ?? [], base);
      return mock.delivery.faults;
    } catch (err) {
      return reply.code(400).send({ error: (err as Error).message });
    }
  });

  // Scenarios start the clock when their load starts, so `outage=30s@10s` means 10 s into the load.
  app.post('/__admin/fault-clock', async () => {
    mock.delivery.faults = { ...mock.delivery.faults, epochMs: Date.now() };
    return { epochMs: mock.delivery.faults.epochMs };
  });

  // Changes made "inside the vendor" (imports, workflows, other users): no auth, no rate limit,
  // but the same events as API writes. This is how a storm goes past the API's limits. Inputs
  // use poc's canonical fields; the emulation maps them to the vendor's own.
  // `at` backdates the changes (a history in simulated time); never in the future, so the
  // vendor's clock stays monotonic against its own API writes.
  app.post<{ Body: { objectType?: string; inputs?: CanonicalInput[]; at?: number } }>(
    '/__admin/firehose',
    async (req, reply) => {
      const objectType = req.body?.objectType ?? 'contacts';
      const inputs = req.body?.inputs;
      const now = Date.now();
      const at = req.body?.at ?? now;
      if (
        !mock.objectTypes.includes(objectType) ||
        !Array.isArray(inputs) ||
        inputs.some((i) => typeof i?.externalId !== 'string')
      ) {
        return reply.code(400).send({
          error: `body must be {objectType: ${mock.objectTypes.join('|')}, inputs: [{externalId, fields, deleted?, mergeInto?}], at?}`,
        });
      }
      if (typeof at !== 'number' || !Number.isFinite(at) || at > now) {
        return reply.code(400).send({ error: 'at must be epoch milliseconds, not in the future' });
      }
      if (inputs.some((i) => i.mergeInto !== undefined) && !mock.supportsMerge) {
        return reply.code(400).send({ error: `${vendor} has no merge: drop mergeInto from the inputs` });
      }
      try {
        mock.firehose(objectType, inputs, at);
      } catch (err) {
        return reply.code(400).send({ error: (err as Error).message });
      }
      return { applied: inputs.length };
    },
  );

  // Realistic, messy records from a fixed seed (mock-vendor/seed.ts), made as the vendor's own
  // imports would be; seed before subscribing and no events are sent for them.
  app.post<{ Body: { objectType?: string; count?: number; seed?: number } }>(
    '/__admin/seed',
    async (req, reply) => {
      const count = req.body?.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1_000_000) {
        return reply.code(400).send({ error: 'count must be an integer from 1 to 1000000' });
      }
      const inputs = seedContacts(count, req.body?.seed);
      mock.firehose(req.body?.objectType ?? 'contacts', inputs, Date.now());
      return { seeded: inputs.length };
    },
  );
}

function pickFaults(body: Partial<DeliveryFaults>): Partial<DeliveryFaults> {
  const out: Partial<DeliveryFaults> = {};
  for (const key of ['duplicate', 'failure', 'reorder', 'jitterMs'] as const) {
    const v = body[key];
    if (typeof v === 'number') out[key] = v;
  }
  return out;
}
