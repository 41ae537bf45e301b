// Original file: ../../proto/fasit/management/v1/management.proto

import type { Environment as _fasit_management_v1_Environment, Environment__Output as _fasit_management_v1_Environment__Output } from '../../../fasit/management/v1/Environment.js';

export interface CreateEnvironmentResponse {
  'environment'?: (_fasit_management_v1_Environment | null);
}

export interface CreateEnvironmentResponse__Output {
  'environment': (_fasit_management_v1_Environment__Output | null);
}
