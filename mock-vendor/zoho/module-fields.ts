/**
 * The fields the mock models per module, as Zoho's field metadata describes them. Both the
 * metadata route and COQL read it: a column COQL accepts is one the metadata lists.
 */
export interface FieldMeta {
  readonly api_name: string;
  readonly data_type: string;
  readonly system_mandatory?: boolean;
  readonly custom_field?: boolean;
}

const SYSTEM_TIMES: readonly FieldMeta[] = [
  { api_name: 'Created_Time', data_type: 'datetime' },
  { api_name: 'Modified_Time', data_type: 'datetime' },
];

// Poc_Seq is the custom field poc adds to a sandbox.
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

/** Every field of `moduleApiName` the metadata route lists: the module's own, then the system times. */
export function moduleFields(moduleApiName: string): readonly FieldMeta[] {
  return [...(FIELDS[moduleApiName] ?? []), ...SYSTEM_TIMES];
}
