/**
 * A user's aggregated permissions as GET /v1/users/{id}/permissions lists them (names from the
 * official client's GetUserPermissionsResponseAllOfData). The mock's user holds every one unless
 * `settings.userPermissions` takes some away.
 */
export const PERMISSION_NAMES = [
  'can_add_custom_fields',
  'can_add_products',
  'can_add_prospects_as_leads',
  'can_bulk_edit_items',
  'can_change_visibility_of_items',
  'can_convert_deals_to_leads',
  'can_create_own_workflow',
  'can_delete_activities',
  'can_delete_custom_fields',
  'can_delete_deals',
  'can_edit_custom_fields',
  'can_edit_deals_closed_date',
  'can_edit_products',
  'can_edit_shared_filters',
  'can_export_data_from_lists',
  'can_follow_other_users',
  'can_merge_deals',
  'can_merge_organizations',
  'can_merge_people',
  'can_modify_labels',
  'can_see_company_wide_statistics',
  'can_see_deals_list_summary',
  'can_see_hidden_items_names',
  'can_see_other_users',
  'can_see_other_users_statistics',
  'can_see_security_dashboard',
  'can_share_filters',
  'can_share_insights',
  'can_use_api',
  'can_use_email_tracking',
  'can_use_import',
] as const;

export function userPermissions(overrides: Readonly<Record<string, boolean>> = {}): Record<string, boolean> {
  const all: Record<string, boolean> = {};
  for (const name of PERMISSION_NAMES) all[name] = overrides[name] ?? true;
  return all;
}
