import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CanonicalInput, MockInstance } from './emulation.js';
import { type DeliveryFaults, parseFaults } from './faults.js';
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
  app.get('/__admin/health', ADMIN, async () => ({ ok: true, vendor }));

  app.get('/__admin/truth', ADMIN, async () => ({ ...truth.toJSON(), pending: mock.delivery.pending }));

  app.get('/__admin/faults', ADMIN, async () => mock.delivery.faults);

  app.put<{ Body: unknown }>('/__admin/faults', ADMIN, async (req, reply) => {
    try {
      mock.delivery.faults = faultsFrom(req.body, mock.delivery.faults);
      return mock.delivery.faults;
    } catch (err) {
      return reply.code(400).send({ error: `PUT /__admin/faults: ${(err as Error).message}` });
    }
  });

  // Scenarios start the clock when their load starts, so `outage=30s@10s` means 10 s into the load.
  app.post('/__admin/fault-clock', ADMIN, async () => {
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
    ADMIN,
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
    ADMIN,
    async (req, reply) => {
      const count = req.body?.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1_000_000) {
        return reply.code(400).send({ error: 'count must be an integer from 1 to 1000000' });
      }
      const objectType = req.body?.objectType ?? 'contacts';
      if (!mock.objectTypes.includes(objectType)) {
        return reply.code(400).send({ error: `objectType must be one of ${mock.objectTypes.join(', ')}` });
      }
      // faker is loaded only when asked for: it is a fifth of a second of every mock's start-up.
      const { seedContacts } = await import('./seed.js');
      const inputs = seedContacts(count, req.body?.seed);
      try {
        mock.firehose(objectType, inputs, Date.now());
      } catch (err) {
        return reply.code(400).send({ error: (err as Error).message });
      }
      return { seeded: inputs.length };
    },
  );
}

const PROBABILITIES = ['duplicate', 'failure', 'reorder'] as const;
const FIELDS: readonly string[] = ['spec', ...PROBABILITIES, 'jitterMs'];

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a message shows it: JSON, shortened. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

/**
 * The faults a PUT asks for, on top of the current ones: `{spec?: ["outage=30s@10s", ...],
 * duplicate?, failure?, reorder?, jitterMs?}`. Throws an Error naming the field and what it must
 * be; nothing changes then.
 */
function faultsFrom(body: unknown, current: Readonly<DeliveryFaults>): DeliveryFaults {
  const given = body ?? {};
  if (!isObject(given)) {
    throw new Error(`the body must be a JSON object like {"spec": ["duplicate=0.05"]}; got ${shown(given)}`);
  }
  const unknown = Object.keys(given).filter((k) => !FIELDS.includes(k));
  if (unknown.length > 0) {
    throw new Error(`unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${FIELDS.join(', ')}`);
  }
  const spec = given.spec ?? [];
  if (!Array.isArray(spec) || spec.some((s) => typeof s !== 'string')) {
    throw new Error(
      `spec must be an array of fault specs (strings), e.g. ["outage=30s@10s", "duplicate=0.05"]; got ${shown(spec)}`,
    );
  }
  const base: DeliveryFaults = { ...current };
  for (const key of PROBABILITIES) {
    const v = given[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new Error(`${key} must be a probability from 0 to 1; got ${shown(v)}`);
    }
    base[key] = v;
  }
  if (given.jitterMs !== undefined) {
    const v = given.jitterMs;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`jitterMs must be a number of milliseconds, 0 or more; got ${shown(v)}`);
    }
    base.jitterMs = v;
  }
  try {
    return parseFaults(spec as string[], base);
  } catch (err) {
    // parseFaults words its errors for the CLI's --fault; here the field is `spec`.
    throw new Error(`spec: ${(err as Error).message.replace(/^--fault:?\s*/, '')}`);
  }
}

/** The admin API answers in its own `{error}` shape, whatever the emulation's error body is. */
const ADMIN = {
  errorHandler(err: unknown, _req: FastifyRequest, reply: FastifyReply) {
    const status = (err as { statusCode?: unknown }).statusCode;
    const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
    const message = code === 500 ? 'internal error' : (err as Error).message;
    void reply.code(code).send({ error: message });
  },
};
