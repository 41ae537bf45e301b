// Original file: ../../proto/fasit/management/v1/management.proto

import type { Role as _fasit_management_v1_Role, Role__Output as _fasit_management_v1_Role__Output } from '../../../fasit/management/v1/Role.js';

export interface CreateRoleBindingRequest {
  'subject'?: (string);
  'role'?: (_fasit_management_v1_Role);
  'tenant'?: (string);
  '_tenant'?: "tenant";
}

export interface CreateRoleBindingRequest__Output {
  'subject': (string);
  'role': (_fasit_management_v1_Role__Output);
  'tenant'?: (string);
  '_tenant'?: "tenant";
}
