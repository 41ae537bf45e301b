// Original file: ../../proto/fasit/management/v1/management.proto


export interface RevokeApiTokenRequest {
  'id'?: (string);
}

export interface RevokeApiTokenRequest__Output {
  'id': (string);
}
