// Original file: ../../proto/fasit/management/v1/management.proto


export interface GetEnvironmentValueRequest {
  'environment_id'?: (string);
  'key'?: (string);
}

export interface GetEnvironmentValueRequest__Output {
  'environment_id': (string);
  'key': (string);
}
