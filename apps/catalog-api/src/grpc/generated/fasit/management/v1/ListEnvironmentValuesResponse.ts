// Original file: ../../proto/fasit/management/v1/management.proto

import type { EnvironmentValue as _fasit_management_v1_EnvironmentValue, EnvironmentValue__Output as _fasit_management_v1_EnvironmentValue__Output } from '../../../fasit/management/v1/EnvironmentValue.js';

export interface ListEnvironmentValuesResponse {
  'values'?: (_fasit_management_v1_EnvironmentValue)[];
}

export interface ListEnvironmentValuesResponse__Output {
  'values': (_fasit_management_v1_EnvironmentValue__Output)[];
}
