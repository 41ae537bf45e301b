// Original file: ../../proto/fasit/management/v1/management.proto

import type { EnvironmentKind as _fasit_management_v1_EnvironmentKind, EnvironmentKind__Output as _fasit_management_v1_EnvironmentKind__Output } from '../../../fasit/management/v1/EnvironmentKind.js';
import type { Label as _fasit_management_v1_Label, Label__Output as _fasit_management_v1_Label__Output } from '../../../fasit/management/v1/Label.js';

export interface Environment {
  'id'?: (string);
  'tenant_id'?: (string);
  'name'?: (string);
  'kind'?: (_fasit_management_v1_EnvironmentKind);
  'labels'?: (_fasit_management_v1_Label)[];
  'description'?: (string);
  'reconcile'?: (boolean);
  'oidc_issuer'?: (string);
  'oidc_discovery_url'?: (string);
  'drift_policy'?: (string);
}

export interface Environment__Output {
  'id': (string);
  'tenant_id': (string);
  'name': (string);
  'kind': (_fasit_management_v1_EnvironmentKind__Output);
  'labels': (_fasit_management_v1_Label__Output)[];
  'description': (string);
  'reconcile': (boolean);
  'oidc_issuer': (string);
  'oidc_discovery_url': (string);
  'drift_policy': (string);
}
