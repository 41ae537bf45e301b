// Original file: ../../proto/fasit/management/v1/management.proto

import type { Tenant as _fasit_management_v1_Tenant, Tenant__Output as _fasit_management_v1_Tenant__Output } from '../../../fasit/management/v1/Tenant.js';

export interface GetTenantResponse {
  'tenant'?: (_fasit_management_v1_Tenant | null);
}

export interface GetTenantResponse__Output {
  'tenant': (_fasit_management_v1_Tenant__Output | null);
}
