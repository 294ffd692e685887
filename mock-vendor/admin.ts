import type { FastifyInstance } from 'fastify';
import { HUBSPOT_ID_PROPERTY } from '../harness/vendors/hubspot/fields.js';
import { type DeliveryFaults, parseFaults } from './faults.js';
import type { HubspotMock, ObjectType } from './hubspot/mock.js';
import { OBJECT_TYPES } from './hubspot/mock.js';

/**
 * The mock's admin API, under /__admin. Faults and the firehose are for scenarios (through the
 * mock target); /__admin/truth is ground truth and only tests may read it.
 */
export function registerAdminRoutes(app: FastifyInstance, mock: HubspotMock): void {
  app.get('/__admin/health', async () => ({ ok: true, vendor: 'hubspot' }));

  app.get('/__admin/truth', async () => ({ ...mock.truth.toJSON(), pending: mock.engine.pending }));

  app.get('/__admin/faults', async () => mock.engine.faults);

  app.put<{ Body: Partial<DeliveryFaults> & { spec?: string[] } }>('/__admin/faults', async (req, reply) => {
    try {
      const body = req.body ?? {};
      const base = { ...mock.engine.faults, ...pickFaults(body) };
      mock.engine.faults = parseFaults(body.spec ?? [], base);
      return mock.engine.faults;
    } catch (err) {
      return reply.code(400).send({ error: (err as Error).message });
    }
  });

  // Changes made "inside the vendor" (imports, workflows, other users): no auth, no rate limit,
  // but the same events as API writes. This is how a storm goes past the API's limits. Inputs
  // use poc's canonical fields; the profile maps them to the vendor's own.
  app.post<{
    Body: { objectType?: string; inputs?: { externalId?: string; fields?: Record<string, string> }[] };
  }>('/__admin/firehose', async (req, reply) => {
    const type = OBJECT_TYPES.find((t) => t === (req.body?.objectType ?? 'contacts')) as
      | ObjectType
      | undefined;
    const inputs = req.body?.inputs;
    if (!type || !Array.isArray(inputs) || inputs.some((i) => typeof i?.externalId !== 'string')) {
      return reply.code(400).send({ error: 'body must be {objectType, inputs: [{externalId, fields}]}' });
    }
    const now = Date.now();
    for (const input of inputs) {
      mock.upsert(
        type,
        { id: input.externalId ?? '', idProperty: HUBSPOT_ID_PROPERTY, properties: input.fields ?? {} },
        'CRM',
        now,
      );
    }
    return { applied: inputs.length };
  });
}

function pickFaults(body: Partial<DeliveryFaults>): Partial<DeliveryFaults> {
  const out: Partial<DeliveryFaults> = {};
  for (const key of ['duplicate', 'failure', 'reorder', 'jitterMs'] as const) {
    const v = body[key];
    if (typeof v === 'number') out[key] = v;
  }
  return out;
}
