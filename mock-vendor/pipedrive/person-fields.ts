import { createHash, randomBytes } from 'node:crypto';

/** One person field as /v1/personFields shows it; custom fields have a 40-hex hash key. */
export interface PersonField {
  id: number;
  key: string;
  name: string;
  field_type: string;
  custom: boolean;
  addTime: number;
}

const BUILT_IN: readonly [key: string, name: string, type: string][] = [
  ['name', 'Name', 'varchar'],
  ['first_name', 'First name', 'varchar'],
  ['last_name', 'Last name', 'varchar'],
  ['email', 'Email', 'varchar'],
  ['phone', 'Phone', 'phone'],
  ['org_id', 'Organization', 'org'],
  ['owner_id', 'Owner', 'user'],
  ['label_ids', 'Labels', 'set'],
  ['visible_to', 'Visible to', 'visible_to'],
  ['add_time', 'Person created', 'date'],
  ['update_time', 'Update time', 'date'],
];

/**
 * The company's person fields. poc_seq exists from the start (as if created by an admin) with
 * a hash key derived from the company id, so ground truth is stable between runs.
 */
export class PersonFieldRegistry {
  private readonly fields: PersonField[] = [];
  private nextId = 9001;

  constructor(companyId: number, now: number) {
    for (const [key, name, type] of BUILT_IN) this.add(key, name, type, false, now);
    this.add(
      createHash('sha1').update(`${companyId}:poc_seq`).digest('hex'),
      'poc_seq',
      'varchar',
      true,
      now,
    );
  }

  private add(key: string, name: string, type: string, custom: boolean, now: number): PersonField {
    const field: PersonField = { id: this.nextId++, key, name, field_type: type, custom, addTime: now };
    this.fields.push(field);
    return field;
  }

  all(): readonly PersonField[] {
    return this.fields;
  }

  /** A new custom field gets a random 40-hex key, as Pipedrive issues them. */
  createCustom(name: string, type: string, now: number): PersonField {
    return this.add(randomBytes(20).toString('hex'), name, type, true, now);
  }

  custom(key: string): PersonField | undefined {
    return this.fields.find((f) => f.custom && f.key === key);
  }

  keyOf(name: string): string | undefined {
    return this.fields.find((f) => f.custom && f.name === name)?.key;
  }

  customKeys(): string[] {
    return this.fields.filter((f) => f.custom).map((f) => f.key);
  }
}

export function toV1Field(field: PersonField, order: number) {
  return {
    id: field.id,
    key: field.key,
    name: field.name,
    order_nr: order,
    field_type: field.field_type,
    add_time: new Date(field.addTime).toISOString().replace('T', ' ').slice(0, 19),
    update_time: null,
    last_updated_by_user_id: null,
    created_by_user_id: null,
    active_flag: true,
    edit_flag: field.custom,
    index_visible_flag: true,
    details_visible_flag: true,
    add_visible_flag: true,
    important_flag: false,
    bulk_edit_allowed: true,
    searchable_flag: field.custom,
    filtering_allowed: true,
    sortable_flag: true,
    mandatory_flag: field.key === 'name',
    options: null,
  };
}

export function toV2Field(field: PersonField) {
  return {
    field_name: field.name,
    field_code: field.key,
    field_type: field.field_type,
    is_custom_field: field.custom,
    is_optional_response_field: false,
    options: null,
    subfields: null,
  };
}
