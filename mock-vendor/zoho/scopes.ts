/**
 * Zoho OAuth scopes are `ZohoCRM.<area>.<resource?>.<operation>`; ALL covers every operation and
 * WRITE covers create, update and delete (shared/vendors.md §4.1).
 */
export type ScopeOperation = 'READ' | 'CREATE' | 'UPDATE' | 'DELETE';

export interface RequiredScope {
  /** `modules`, `coql`, `notifications`, `users`, `org` or `settings`. */
  readonly area: string;
  /** The module (lowercase) for `modules` scopes, the kind of metadata for `settings`. */
  readonly resource?: string;
  readonly operations: readonly ScopeOperation[];
}

function grants(scope: string, area: string, resource: string | undefined, op: ScopeOperation): boolean {
  const parts = scope.split('.');
  if (parts[0] !== 'ZohoCRM' || parts[1] !== area) return false;
  const granted = parts.at(-1);
  const scopedTo = parts.length === 4 ? parts[2]?.toLowerCase() : undefined;
  if (scopedTo !== undefined && scopedTo !== resource) return false;
  return granted === 'ALL' || granted === op || (granted === 'WRITE' && op !== 'READ');
}

export function hasScope(scopes: readonly string[], required: RequiredScope): boolean {
  return required.operations.every((op) =>
    scopes.some((s) => grants(s, required.area, required.resource, op)),
  );
}

const BY_METHOD: Readonly<Record<string, ScopeOperation>> = {
  GET: 'READ',
  HEAD: 'READ',
  POST: 'CREATE',
  PUT: 'UPDATE',
  PATCH: 'UPDATE',
  DELETE: 'DELETE',
};

/** The scope a request under /crm/v8 needs, from its method and path. */
export function requiredScope(method: string, path: string): RequiredScope {
  const op = BY_METHOD[method] ?? 'READ';
  const segments = path.split('?')[0]?.split('/').filter(Boolean) ?? [];
  // segments: crm, v8, <module | actions | users>, ...
  const head = segments[2] ?? '';
  if (head === 'actions') return { area: 'notifications', operations: [op] };
  // A COQL query is posted but only reads: ZohoCRM.coql.READ (Get-Records-through-COQL-Query, Scope).
  if (head === 'coql') return { area: 'coql', operations: ['READ'] };
  if (head === 'users') return { area: 'users', operations: [op] };
  if (head === 'org') return { area: 'org', operations: [op] };
  if (head === 'settings') return { area: 'settings', resource: segments[3] ?? '', operations: [op] };
  // Upsert may insert or update: Zoho needs both.
  const operations: ScopeOperation[] = segments[3] === 'upsert' ? ['CREATE', 'UPDATE'] : [op];
  return { area: 'modules', resource: head.toLowerCase(), operations };
}
