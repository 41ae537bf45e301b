// Original file: ../../proto/fasit/management/v1/management.proto


export interface DeleteRoleBindingResponse {
  'success'?: (boolean);
}

export interface DeleteRoleBindingResponse__Output {
  'success': (boolean);
}
