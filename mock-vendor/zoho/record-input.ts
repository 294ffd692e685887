import type { WriteOutcome } from './mock.js';
import { moduleFields } from './module-fields.js';

type Refusal = Extract<WriteOutcome, { ok: false }>;

function refusal(details: Record<string, unknown>): Refusal {
  return { ok: false, code: 'INVALID_DATA', message: 'invalid data', details };
}

/**
 * Why one entry of a write's `data[]` cannot be a record, answered in that entry as Zoho answers
 * a value of the wrong type: INVALID_DATA "invalid data" with `expected_data_type`, `api_name` and
 * `json_path` (integrators quote such answers from live calls, e.g. verbb/formie#410). An entry
 * that is not an object expects `jsonobject` [unverified]; a field value that is an object or an
 * array expects the field's data type (module-fields.ts; `text` for a field the mock does not
 * model), where the mock used to drop it silently.
 */
export function recordProblem(item: unknown, index: number, moduleApiName: string): Refusal | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return refusal({ expected_data_type: 'jsonobject', json_path: `$.data[${index}]` });
  }
  for (const [field, value] of Object.entries(item)) {
    if (typeof value !== 'object' || value === null) continue;
    const type = moduleFields(moduleApiName).find((f) => f.api_name === field)?.data_type ?? 'text';
    return refusal({ expected_data_type: type, api_name: field, json_path: `$.data[${index}].${field}` });
  }
  return undefined;
}
