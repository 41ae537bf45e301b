// Original file: ../../proto/fasit/management/v1/management.proto


export interface DeleteRoleBindingRequest {
  'id'?: (string);
}

export interface DeleteRoleBindingRequest__Output {
  'id': (string);
}
