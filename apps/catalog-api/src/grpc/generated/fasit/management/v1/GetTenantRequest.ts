// Original file: ../../proto/fasit/management/v1/management.proto


export interface GetTenantRequest {
  'name'?: (string);
}

export interface GetTenantRequest__Output {
  'name': (string);
}
