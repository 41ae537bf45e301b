// Original file: ../../proto/fasit/management/v1/management.proto

import type { Role as _fasit_management_v1_Role, Role__Output as _fasit_management_v1_Role__Output } from '../../../fasit/management/v1/Role.js';

export interface IssueApiTokenRequest {
  'name'?: (string);
  'role'?: (_fasit_management_v1_Role);
  'tenant'?: (string);
  'expires_in_days'?: (number);
  '_tenant'?: "tenant";
}

export interface IssueApiTokenRequest__Output {
  'name': (string);
  'role': (_fasit_management_v1_Role__Output);
  'tenant'?: (string);
  'expires_in_days': (number);
  '_tenant'?: "tenant";
}
