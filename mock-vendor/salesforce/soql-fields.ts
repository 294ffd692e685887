import { ACCOUNT } from './account-schema.js';
import { CONTACT } from './contact-schema.js';
import type { FieldSpec, SObjectSchema } from './sobject-schema.js';
import type { Token, TokenStream } from './soql-lexer.js';

/** The objects a field path may walk through, by name. */
export const SOBJECTS: Readonly<Record<string, SObjectSchema>> = { Contact: CONTACT, Account: ACCOUNT };

/** A field path resolved against the schemas: its proper spelling and the field at its end. */
export interface ResolvedField {
  readonly path: string;
  readonly spec: FieldSpec;
}

/**
 * Resolves `Name`, `Account.Name` or `Contact.Account.Name` from `root`: every segment but the
 * last is a relationship name (the relationshipName of a reference field), the last a field of the
 * object reached; a leading segment naming the root object itself is allowed and dropped. Unknown
 * names are INVALID_FIELD with Salesforce's texts ("No such column..." and "Didn't understand
 * relationship ... in field path", as live orgs answer them).
 */
export function resolveField(
  stream: TokenStream,
  token: Token,
  root: SObjectSchema = CONTACT,
): ResolvedField {
  let segments = token.text.split('.');
  if (segments.length > 1 && segments[0]?.toLowerCase() === root.name.toLowerCase())
    segments = segments.slice(1);
  let object = root;
  const path: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    const reference = object.relationship(segment);
    const target = reference?.referenceTo === undefined ? undefined : SOBJECTS[reference.referenceTo];
    if (!reference?.relationshipName || !target) {
      throw stream.error(
        'INVALID_FIELD',
        `Didn't understand relationship '${segment}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        token,
      );
    }
    path.push(reference.relationshipName);
    object = target;
  }
  const last = segments.at(-1) ?? '';
  const spec = object.field(last);
  if (!spec) {
    throw stream.error(
      'INVALID_FIELD',
      `No such column '${last}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      token,
    );
  }
  path.push(spec.name);
  return { path: path.join('.'), spec };
}

/** The field at the end of an already resolved path (ResolvedField.path), or undefined. */
export function specAt(path: string, root: SObjectSchema = CONTACT): FieldSpec | undefined {
  const segments = path.split('.');
  let object: SObjectSchema | undefined = root;
  for (const segment of segments.slice(0, -1)) {
    const target: string | undefined = object?.relationship(segment)?.referenceTo;
    object = target === undefined ? undefined : SOBJECTS[target];
  }
  return object?.field(segments.at(-1) ?? '');
}
