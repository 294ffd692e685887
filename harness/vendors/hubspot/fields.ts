/**
 * HubSpot's contact properties already use the canonical names poc writes (email, firstname,
 * lastname, phone); custom properties such as poc_seq are created with the same internal name.
 */
export const HUBSPOT_ID_PROPERTY = 'email';

const OBJECT_PREFIX: Readonly<Record<string, string>> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
};

/** HubSpot's classic subscription types name the object in the singular: contact, company, deal. */
export function subscriptionPrefix(objectType: string): string {
  return OBJECT_PREFIX[objectType] ?? objectType;
}

export function objectTypeOf(subscriptionType: string): string {
  const prefix = subscriptionType.slice(0, subscriptionType.indexOf('.'));
  return Object.entries(OBJECT_PREFIX).find(([, p]) => p === prefix)?.[0] ?? prefix;
}
