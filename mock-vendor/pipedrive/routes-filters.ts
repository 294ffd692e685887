import type { FastifyInstance } from 'fastify';
import { pipedriveError } from './errors.js';
import { FILTER_TYPES, parseConditions, type SavedFilter } from './filters.js';
import type { PipedriveMock } from './mock.js';

function pipedriveTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** A filter as /v1/filters answers it (SDK 33 v1 `Filter` model). */
function toApiFilter(f: SavedFilter, userId: number) {
  return {
    id: f.id,
    name: f.name,
    filter_code: null,
    is_editable: true,
    active_flag: true,
    type: f.type,
    temporary_flag: null,
    user_id: userId,
    add_time: pipedriveTime(f.addTime),
    update_time: null,
    visible_to: '7',
    last_used_time: null,
    custom_view_id: null,
    conditions: f.conditions,
  };
}

interface FilterBody {
  name?: unknown;
  type?: unknown;
  conditions?: unknown;
}

/**
 * /v1/filters: add, get and delete saved filters, which GET /api/v2/persons?filter_id= applies.
 * Validation wording is the mock's (Pipedrive documents the rules, not its answers).
 */
export function registerFilterRoutes(app: FastifyInstance, mock: PipedriveMock): void {
  const userId = mock.settings.userId;
  app.post<{ Body: FilterBody | null }>('/v1/filters', async (req, reply) => {
    const { name, type, conditions } = req.body ?? {};
    if (typeof name !== 'string' || name.trim() === '')
      return reply.code(400).send(pipedriveError('name is required'));
    if (!(FILTER_TYPES as readonly unknown[]).includes(type))
      return reply.code(400).send(pipedriveError(`type must be one of ${FILTER_TYPES.join(', ')}`));
    const groups = parseConditions(conditions, mock.fields);
    if (typeof groups === 'string') return reply.code(400).send(pipedriveError(groups));
    const filter: SavedFilter = {
      id: mock.nextFilterId++,
      name: name.trim(),
      type: String(type),
      conditions,
      ...groups,
      addTime: Date.now(),
    };
    mock.filters.set(filter.id, filter);
    return { success: true, data: toApiFilter(filter, userId) };
  });

  app.get<{ Params: { id: string } }>('/v1/filters/:id', async (req, reply) => {
    const filter = mock.filters.get(Number(req.params.id));
    if (!filter) return reply.code(404).send(pipedriveError('Filter not found'));
    return { success: true, data: toApiFilter(filter, userId) };
  });

  app.delete<{ Params: { id: string } }>('/v1/filters/:id', async (req, reply) => {
    const id = Number(req.params.id);
    if (!mock.filters.delete(id)) return reply.code(404).send(pipedriveError('Filter not found'));
    return { success: true, data: { id } };
  });
}
