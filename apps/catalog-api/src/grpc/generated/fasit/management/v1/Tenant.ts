// Original file: ../../proto/fasit/management/v1/management.proto


export interface Tenant {
  'id'?: (string);
  'name'?: (string);
  'description'?: (string);
}

export interface Tenant__Output {
  'id': (string);
  'name': (string);
  'description': (string);
}
