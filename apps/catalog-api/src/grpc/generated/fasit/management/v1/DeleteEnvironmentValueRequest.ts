// Original file: ../../proto/fasit/management/v1/management.proto


export interface DeleteEnvironmentValueRequest {
  'environment_id'?: (string);
  'key'?: (string);
}

export interface DeleteEnvironmentValueRequest__Output {
  'environment_id': (string);
  'key': (string);
}
