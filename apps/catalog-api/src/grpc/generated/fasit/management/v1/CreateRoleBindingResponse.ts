// Original file: ../../proto/fasit/management/v1/management.proto

import type { RoleBinding as _fasit_management_v1_RoleBinding, RoleBinding__Output as _fasit_management_v1_RoleBinding__Output } from '../../../fasit/management/v1/RoleBinding.js';

export interface CreateRoleBindingResponse {
  'role_binding'?: (_fasit_management_v1_RoleBinding | null);
}

export interface CreateRoleBindingResponse__Output {
  'role_binding': (_fasit_management_v1_RoleBinding__Output | null);
}
