// Original file: ../../proto/fasit/management/v1/management.proto


export interface GetEnvironmentRequest {
  'tenant_id'?: (string);
  'name'?: (string);
}

export interface GetEnvironmentRequest__Output {
  'tenant_id': (string);
  'name': (string);
}
