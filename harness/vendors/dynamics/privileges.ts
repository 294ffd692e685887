/**
 * The privileges poc's application user needs, each with what poc does with it. Dataverse has no
 * OAuth scopes: security roles grant privileges named `prv<Access><Table>`, and a request
 * without one answers 403 `0x80040220` (PrivilegeDenied) "... is missing prvReadContact
 * privilege ...". System Customizer covers the SDK tables; contacts need a sales role or a
 * custom one.
 */
export const POC_PRIVILEGES: Readonly<Record<string, string>> = {
  prvReadContact: 'list, probe and change-track contacts',
  prvCreateContact: 'upserts that create a contact',
  prvWriteContact: 'upserts that update a contact',
  prvReadSdkMessage: 'find the Create/Update/Delete messages and their filters',
  prvReadServiceEndpoint: 'find the webhook endpoint poc registered before',
  prvCreateServiceEndpoint: 'register the webhook endpoint',
  prvWriteServiceEndpoint: 're-point the webhook endpoint',
  prvReadSdkMessageProcessingStep: 'find the steps poc registered before',
  prvCreateSdkMessageProcessingStep: 'register the webhook steps',
  prvWriteSdkMessageProcessingStep: 'update the steps’ filtering attributes',
};

/** The required privileges `held` lacks, each with why poc needs it. */
export function missingPrivileges(held: ReadonlySet<string>): string[] {
  return Object.entries(POC_PRIVILEGES)
    .filter(([name]) => !held.has(name))
    .map(([name, why]) => `${name} (${why})`);
}
