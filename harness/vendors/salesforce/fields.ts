/**
 * poc writes canonical field names; a Salesforce Contact spells them its own way. `Poc_Seq__c`
 * and `Poc_Ext_Id__c` are custom fields an admin adds for the PoC: the second is marked
 * External ID (unique, case-insensitive) and holds the email, so upserts match on it.
 */
export const EXTERNAL_ID_FIELD = 'Poc_Ext_Id__c';

const CANONICAL_TO_SALESFORCE: Readonly<Record<string, string>> = {
  email: 'Email',
  firstname: 'FirstName',
  lastname: 'LastName',
  phone: 'Phone',
  poc_seq: 'Poc_Seq__c',
};

const SALESFORCE_TO_CANONICAL: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(CANONICAL_TO_SALESFORCE).map(([canonical, sf]) => [sf, canonical]),
);

/** poc's canonical object types and the sObject each maps to. */
const SOBJECTS: Readonly<Record<string, string>> = { contacts: 'Contact' };

export function sobjectOf(objectType: string): string {
  const sobject = SOBJECTS[objectType];
  if (!sobject) throw new Error(`Salesforce: no sObject mapped for "${objectType}" (known: contacts)`);
  return sobject;
}

/** A canonical field's Salesforce name; unknown names pass through (they may already be API names). */
export function toSalesforceField(canonical: string): string {
  return CANONICAL_TO_SALESFORCE[canonical] ?? canonical;
}

export function toCanonicalField(salesforce: string): string | undefined {
  return SALESFORCE_TO_CANONICAL[salesforce];
}

export function toSalesforceFields(fields: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) out[toSalesforceField(name)] = value;
  return out;
}
