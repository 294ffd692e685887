import { createHash } from 'node:crypto';
import { DATAVERSE_CODES, odataError } from './errors.js';
import type { DynamicsMockSettings } from './settings.js';

/**
 * The tables the mock serves, with the privilege-name stem and object type code Dataverse uses
 * for them (codes of the SDK tables unverified; filters assumed to be governed by SdkMessage).
 */
const TABLES: Readonly<Record<string, { stem: string; logicalName: string; otc: number }>> = {
  contacts: { stem: 'Contact', logicalName: 'contact', otc: 2 },
  sdkmessages: { stem: 'SdkMessage', logicalName: 'sdkmessage', otc: 4606 },
  sdkmessagefilters: { stem: 'SdkMessage', logicalName: 'sdkmessage', otc: 4606 },
  sdkmessageprocessingsteps: {
    stem: 'SdkMessageProcessingStep',
    logicalName: 'sdkmessageprocessingstep',
    otc: 4608,
  },
  serviceendpoints: { stem: 'ServiceEndpoint', logicalName: 'serviceendpoint', otc: 4618 },
};

/** An upsert (PATCH) is checked as Write: the mock does not also ask Create when it creates. */
const ACCESS: Readonly<Record<string, string>> = {
  GET: 'Read',
  POST: 'Create',
  PATCH: 'Write',
  DELETE: 'Delete',
};

/** Every privilege the mock enforces: the default application user holds them all. */
export function allMockPrivileges(): string[] {
  const stems = [...new Set(Object.values(TABLES).map((t) => t.stem))];
  return stems.flatMap((stem) => Object.values(ACCESS).map((access) => `prv${access}${stem}`));
}

/** A privilege's id is stable per name, as it is across Dataverse environments. */
export function privilegeId(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Dataverse's 403 body when the user lacks the privilege `method` on `entitySet` needs;
 * undefined when it holds it (or the table is not one the mock guards).
 */
export function privilegeDenied(
  settings: DynamicsMockSettings,
  userId: string,
  method: string,
  entitySet: string,
): ReturnType<typeof odataError> | undefined {
  const table = TABLES[entitySet];
  const access = ACCESS[method];
  if (!table || !access) return undefined;
  const name = `prv${access}${table.stem}`;
  if (settings.privileges.includes(name)) return undefined;
  return odataError(
    DATAVERSE_CODES.privilegeDenied,
    `Principal user (Id=${userId}, type=8, roleCount=1, privilegeCount=${settings.privileges.length}, accessMode='0 Read-Write', businessUnitId=${settings.organizationId}), is missing ${name} privilege (Id=${privilegeId(name)}) on OTC=${table.otc} for entity '${table.logicalName}'. context.Caller=${userId}. Consider adding missed privilege to one of the principal (user/team) roles.`,
  );
}
