// Original file: ../../proto/fasit/management/v1/management.proto

import type { RoleBinding as _fasit_management_v1_RoleBinding, RoleBinding__Output as _fasit_management_v1_RoleBinding__Output } from '../../../fasit/management/v1/RoleBinding.js';

export interface ListRoleBindingsResponse {
  'role_bindings'?: (_fasit_management_v1_RoleBinding)[];
}

export interface ListRoleBindingsResponse__Output {
  'role_bindings': (_fasit_management_v1_RoleBinding__Output)[];
}
