import type { FastifyInstance } from 'fastify';
import { zohoError } from './errors.js';
import { moduleByApiName } from './modules.js';

interface FieldMeta {
  readonly api_name: string;
  readonly data_type: string;
  readonly system_mandatory?: boolean;
  readonly custom_field?: boolean;
}

const SYSTEM_TIMES: readonly FieldMeta[] = [
  { api_name: 'Created_Time', data_type: 'datetime' },
  { api_name: 'Modified_Time', data_type: 'datetime' },
];

// The fields the mock models per module; Poc_Seq is the custom field poc adds to a sandbox.
const FIELDS: Readonly<Record<string, readonly FieldMeta[]>> = {
  Contacts: [
    { api_name: 'Email', data_type: 'email' },
    { api_name: 'First_Name', data_type: 'text' },
    { api_name: 'Last_Name', data_type: 'text', system_mandatory: true },
    { api_name: 'Phone', data_type: 'phone' },
    { api_name: 'Poc_Seq', data_type: 'text', custom_field: true },
  ],
  Accounts: [{ api_name: 'Account_Name', data_type: 'text', system_mandatory: true }],
  Deals: [{ api_name: 'Deal_Name', data_type: 'text', system_mandatory: true }],
};

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
    const fields = [...(FIELDS[module.apiName] ?? []), ...SYSTEM_TIMES].map((f, i) => ({
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
