// Original file: ../../proto/fasit/management/v1/management.proto

import type { Label as _fasit_management_v1_Label, Label__Output as _fasit_management_v1_Label__Output } from '../../../fasit/management/v1/Label.js';

export interface UpdateEnvironmentRequest {
  'environment_id'?: (string);
  'labels'?: (_fasit_management_v1_Label)[];
}

export interface UpdateEnvironmentRequest__Output {
  'environment_id': (string);
  'labels': (_fasit_management_v1_Label__Output)[];
}
