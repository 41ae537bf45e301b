// Original file: ../../proto/fasit/management/v1/management.proto

import type { Label as _fasit_management_v1_Label, Label__Output as _fasit_management_v1_Label__Output } from '../../../fasit/management/v1/Label.js';

export interface UpdateEnvironmentRequest {
  'environment_id'?: (string);
  'labels'?: (_fasit_management_v1_Label)[];
  'oidc_issuer'?: (string);
  'oidc_discovery_url'?: (string);
  'drift_policy'?: (string);
  '_oidc_issuer'?: "oidc_issuer";
  '_oidc_discovery_url'?: "oidc_discovery_url";
  '_drift_policy'?: "drift_policy";
}

export interface UpdateEnvironmentRequest__Output {
  'environment_id': (string);
  'labels': (_fasit_management_v1_Label__Output)[];
  'oidc_issuer'?: (string);
  'oidc_discovery_url'?: (string);
  'drift_policy'?: (string);
  '_oidc_issuer'?: "oidc_issuer";
  '_oidc_discovery_url'?: "oidc_discovery_url";
  '_drift_policy'?: "drift_policy";
}
