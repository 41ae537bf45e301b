// Original file: ../../proto/fasit/management/v1/management.proto


export interface DeleteEnvironmentValueResponse {
  'success'?: (boolean);
}

export interface DeleteEnvironmentValueResponse__Output {
  'success': (boolean);
}
