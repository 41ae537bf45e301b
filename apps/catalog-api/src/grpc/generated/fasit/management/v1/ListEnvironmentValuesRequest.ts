// Original file: ../../proto/fasit/management/v1/management.proto


export interface ListEnvironmentValuesRequest {
  'key'?: (string);
}

export interface ListEnvironmentValuesRequest__Output {
  'key': (string);
}
