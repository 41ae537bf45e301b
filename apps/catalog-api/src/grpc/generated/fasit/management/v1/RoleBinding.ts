// Original file: ../../proto/fasit/management/v1/management.proto

import type { Role as _fasit_management_v1_Role, Role__Output as _fasit_management_v1_Role__Output } from '../../../fasit/management/v1/Role.js';

export interface RoleBinding {
  'id'?: (string);
  'subject'?: (string);
  'role'?: (_fasit_management_v1_Role);
  'tenant'?: (string);
  'created_by'?: (string);
  'created_at'?: (string);
}

export interface RoleBinding__Output {
  'id': (string);
  'subject': (string);
  'role': (_fasit_management_v1_Role__Output);
  'tenant': (string);
  'created_by': (string);
  'created_at': (string);
}
