// Original file: ../../proto/fasit/management/v1/management.proto

import type { EnvironmentValue as _fasit_management_v1_EnvironmentValue, EnvironmentValue__Output as _fasit_management_v1_EnvironmentValue__Output } from '../../../fasit/management/v1/EnvironmentValue.js';

export interface GetEnvironmentValueResponse {
  'environment_value'?: (_fasit_management_v1_EnvironmentValue | null);
}

export interface GetEnvironmentValueResponse__Output {
  'environment_value': (_fasit_management_v1_EnvironmentValue__Output | null);
}
