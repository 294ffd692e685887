/**
 * The modules the mock serves and what Zoho checks on each: the mandatory field on insert and
 * the system duplicate-check field upsert matches on (shared/vendors.md §4.2).
 */
export interface ModuleRules {
  readonly apiName: string;
  readonly objectType: string;
  readonly mandatory: string;
  readonly duplicateCheck: string;
}

export const MODULES: readonly ModuleRules[] = [
  { apiName: 'Contacts', objectType: 'contacts', mandatory: 'Last_Name', duplicateCheck: 'Email' },
  { apiName: 'Accounts', objectType: 'companies', mandatory: 'Account_Name', duplicateCheck: 'Account_Name' },
  { apiName: 'Deals', objectType: 'deals', mandatory: 'Deal_Name', duplicateCheck: 'Deal_Name' },
];

export function moduleByApiName(name: string): ModuleRules | undefined {
  // Zoho accepts module API names case-insensitively in the path.
  const lower = name.toLowerCase();
  return MODULES.find((m) => m.apiName.toLowerCase() === lower);
}

export function moduleByObjectType(objectType: string): ModuleRules | undefined {
  return MODULES.find((m) => m.objectType === objectType);
}
