// Original file: ../../proto/fasit/management/v1/management.proto


export interface SetEnvironmentValueRequest {
  'environment_id'?: (string);
  'key'?: (string);
  'value'?: (Buffer | Uint8Array | string);
  'secret'?: (boolean);
}

export interface SetEnvironmentValueRequest__Output {
  'environment_id': (string);
  'key': (string);
  'value': (Buffer);
  'secret': (boolean);
}
