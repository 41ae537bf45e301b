// Original file: ../../proto/fasit/management/v1/management.proto

import type { ApiToken as _fasit_management_v1_ApiToken, ApiToken__Output as _fasit_management_v1_ApiToken__Output } from '../../../fasit/management/v1/ApiToken.js';

export interface IssueApiTokenResponse {
  'api_token'?: (_fasit_management_v1_ApiToken | null);
  'token'?: (string);
}

export interface IssueApiTokenResponse__Output {
  'api_token': (_fasit_management_v1_ApiToken__Output | null);
  'token': (string);
}
