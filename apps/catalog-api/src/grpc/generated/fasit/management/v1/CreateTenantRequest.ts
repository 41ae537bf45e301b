// Original file: ../../proto/fasit/management/v1/management.proto


export interface CreateTenantRequest {
  'name'?: (string);
  'description'?: (string);
}

export interface CreateTenantRequest__Output {
  'name': (string);
  'description': (string);
}
