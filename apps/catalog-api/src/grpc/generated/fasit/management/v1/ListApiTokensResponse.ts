// Original file: ../../proto/fasit/management/v1/management.proto

import type { ApiToken as _fasit_management_v1_ApiToken, ApiToken__Output as _fasit_management_v1_ApiToken__Output } from '../../../fasit/management/v1/ApiToken.js';

export interface ListApiTokensResponse {
  'api_tokens'?: (_fasit_management_v1_ApiToken)[];
}

export interface ListApiTokensResponse__Output {
  'api_tokens': (_fasit_management_v1_ApiToken__Output)[];
}
