import type { FastifyInstance } from 'fastify';
import { zohoError } from './errors.js';
import { moduleFields } from './module-fields.js';
import { moduleByApiName } from './modules.js';

/**
 * `GET /crm/v8/settings/fields?module=`: field metadata. Zoho's SDK reads it before its first
 * record call to learn each field's type, so the mock must answer it.
 */
export function registerFieldRoutes(crm: FastifyInstance): void {
  crm.get<{ Querystring: { module?: string } }>('/settings/fields', async (req, reply) => {
    const module = moduleByApiName(req.query.module ?? '');
    if (!module)
      return reply
        .code(400)
        .send(
          zohoError('INVALID_MODULE', 'the module name given seems to be invalid', { param_name: 'module' }),
        );
    const fields = moduleFields(module.apiName).map((f, i) => ({
      api_name: f.api_name,
      field_label: f.api_name.replace(/_/g, ' '),
      data_type: f.data_type,
      json_type: 'string',
      system_mandatory: f.system_mandatory ?? false,
      custom_field: f.custom_field ?? false,
      read_only: f.data_type === 'datetime',
      visible: true,
      id: String(4_876_876_000_000_200_000 + i),
    }));
    return { fields };
  });
}
