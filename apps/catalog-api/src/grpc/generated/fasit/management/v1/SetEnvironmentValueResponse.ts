// Original file: ../../proto/fasit/management/v1/management.proto


export interface SetEnvironmentValueResponse {
  'success'?: (boolean);
}

export interface SetEnvironmentValueResponse__Output {
  'success': (boolean);
}
