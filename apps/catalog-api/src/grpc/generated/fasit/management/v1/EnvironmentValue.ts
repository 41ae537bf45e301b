// Original file: ../../proto/fasit/management/v1/management.proto


export interface EnvironmentValue {
  'environment_id'?: (string);
  'key'?: (string);
  'value'?: (Buffer | Uint8Array | string);
  'secret'?: (boolean);
  'tenant_id'?: (string);
  'environment_name'?: (string);
  'tenant_name'?: (string);
}

export interface EnvironmentValue__Output {
  'environment_id': (string);
  'key': (string);
  'value': (Buffer);
  'secret': (boolean);
  'tenant_id': (string);
  'environment_name': (string);
  'tenant_name': (string);
}
